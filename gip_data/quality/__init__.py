"""年报质量: per-report checks with evidence, roll-ups, hierarchy and coverage, anomalies."""
