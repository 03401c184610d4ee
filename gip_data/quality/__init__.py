"""年报质量: per-report checks with their evidence, roll-ups, hierarchy and coverage, anomalies.

- :mod:`.facts_frame` — the facts the parser read (``AnnualReport.facts``) as a Polars frame, from
  records or from the store (vectorised JSON decode; kept up to date from the changed rows);
- :mod:`.checks` — :func:`~.checks.scorecard`: nine checks for every report at once (pass / fail /
  unknown / not applicable) with the figures the evidence needs, and the score;
- :mod:`.explain` — the evidence in words for the reports on screen, findings for a briefing;
- :mod:`.rollup` — definitions of the roll-ups (per body, level, region, year) and of the body
  ranking with the small-N rule;
- :mod:`.index` — the same roll-ups and ranking from a per-version cube and body matrix (fast paths);
- :mod:`.hierarchy` — aggregate reports against the stored reports under them; coverage lists;
- :mod:`.anomalies` — year-on-year jumps and zeros among busy peers, with the peer figures.

No Streamlit here; everything works on the wide frame of :mod:`gip_data.frames`.
"""
