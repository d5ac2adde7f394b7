"""Build-time tools, run from the checkout by nox and the tests, never installed.

Code generators (``generate``, ``bundle``, ``codegen_view``,
``typescript_package``), the documentation site (``docsite``,
``mkdocs_hooks``), the sample-capture generator (``sample``) and the
benchmark (``bench``). They read the runtime package; it never reads them.
"""
