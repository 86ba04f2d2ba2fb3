-- A cancelled clock's elapsed runs to the cancel's instant (docs/conventions.md), which cancelled_on, a date,
-- cannot give for hour rules. After this release's changes to the clock engine, refold every child with
-- `projections rebuild` (docs/operations.md).
alter table clock_versions add column cancelled_at timestamptz;   -- null when the cancel is known only as a date
