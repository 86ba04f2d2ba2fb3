-- A cancelled clock's elapsed runs to the cancel's instant (docs/conventions.md), which cancelled_on, a date,
-- cannot give for hour rules. The clock engine's same-day and review-chain rules changed in the same release
-- (docs/rulebook.md), so the pathway read model is emptied and its checkpoint reset: the projection refolds
-- every child from the event log on its next catch-up, as `projections rebuild pathways` would.
alter table clock_versions add column cancelled_at timestamptz;   -- null when the cancel is known only as a date
truncate clock_versions, child_timeline;
delete from projection_progress where name = 'pathways';
