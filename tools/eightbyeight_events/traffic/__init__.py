"""Realistic traffic: whole interaction lifecycles with every documented variation at a
named rate (``shift``), the faults a live stream shows, put in on purpose and written down
(``faults``), and what ``8x8-events generate`` writes (``generator``, ``command``)."""
