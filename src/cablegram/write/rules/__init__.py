"""Lint rules, one module per family; each exposes ``check(context) -> Iterator[Finding]``.

Codes by family: CG000 reader diagnostics, CG1xx banner and portion markings, CG2xx
classification authority (Classified By, E.O. line), CG3xx text fields (SUBJECT, TAGS,
paragraph numbers), CG4xx captions, CG5xx the ACP-127 envelope. ``docs/lint-rules.md``
describes each rule with its source in the format reference.
"""
