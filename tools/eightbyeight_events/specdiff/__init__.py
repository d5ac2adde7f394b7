"""What a change of the spec means for consumers: ``8x8-events diff``.

Two versions are read (``sources``), walked side by side into changes of named kinds
(``compare``, with ``places`` for where things are in a side and ``rules`` for each
keyword's kind; ``kinds``), judged under a policy into BACKWARD, FORWARD and FULL and the
version bump they call for (``judge``, ``sentences``), and written out (``render``).
"""
