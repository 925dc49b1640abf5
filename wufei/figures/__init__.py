"""The figures of each cadence point, typed, computed from one world per scope and period.

- `world`: a scope's plans, tasks with owners, lights and deadlines on the figures' day, read
  once per run and shared by every figure, the snapshot and its ledger rows;
- one module per point: `monthly` (月调度), `quarterly` (季通报), `half_year` (半年观摩),
  `annual` (年终考核), `self_assessment` (年度自评估), `province` (the roll-up over cities);
- `store`: keeping them in `period_figures`; `codec`: them as JSON and back.

Every result is a dataclass read by attribute; services take a Session and never commit.
"""
