"""年报质量: per-report checks with their evidence, roll-ups, hierarchy and coverage, anomalies.

- :mod:`.checks` — :func:`~.checks.scorecard`: nine checks for every report at once (pass / fail /
  unknown / not applicable) with the figures the evidence needs, and the score; the facts of the
  text come from the reports' ``fact_*`` columns;
- :mod:`.derive` — the per-report check indicators the prepared data keeps (cube cells);
- :mod:`.anomalies`, :mod:`.hierarchy` — anomalies among peers and over years; aggregate reports
  against the reports under them; coverage lists;
- :mod:`.tables` — the anomalies and aggregate gaps of a data version, updated from a change;
- :mod:`.rollup`, :mod:`.definitions` — the 质量 views by definition (declared in
  :mod:`gip_data.views.quality`), :mod:`.fast` — their exact fast paths over the prepared data;
- :mod:`.plain` — the per-report 质量 data by definition from every report (the tests' reference);
- :mod:`.explain`, :mod:`.report` — the evidence in words for the reports shown; findings for a briefing.

No Streamlit here.
"""
