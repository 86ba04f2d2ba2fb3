-- The "now" breach list reads the open versions (known_to, stopped, cancelled and not-measurable all empty) of a
-- council, by overdue instant. Two indexes over those few rows (a few per cent of the table) let it skip the table:
-- * clock_versions_open carries the columns the list's counts group and filter on (due date, rule, team, worker),
--   so the counts by rule and by team are an index-only scan; it replaces clock_versions_live, same keys.
-- * clock_versions_open_team leads with the team after the council, so one team's list (a team manager's page)
--   reads only that team's entries, in overdue order, instead of every open clock of the council.
-- At 30,000 children (docs/performance.md) one team's counts went from 537 pages read to 10, its first page from
-- 656 to 46.
create index if not exists clock_versions_open on clock_versions (tenant, overdue_from)
    include (due_on, rule, team, worker)
    where known_to is null and stopped_on is null and cancelled_on is null and not not_measurable;
create index if not exists clock_versions_open_team on clock_versions (tenant, team, overdue_from)
    where known_to is null and stopped_on is null and cancelled_on is null and not not_measurable;
drop index if exists clock_versions_live;
