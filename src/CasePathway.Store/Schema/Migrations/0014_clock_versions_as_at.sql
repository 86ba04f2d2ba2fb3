-- The breach list as at a past instant T reads the versions whose knowledge interval holds T. A b-tree can range
-- over one end of the interval only: clock_versions_known (tenant, known_from, known_to) walked every version known
-- before T and kept the few still known at T (at 30,000 children, 24,000 entries and 2,300 heap rows for 471 on the
-- list; 23 ms warm, 213 ms cold for the counts). A GiST index holds the interval itself, so "contains T" is one
-- descent; the overdue instant rides in it too, and only the versions a breach list can show are indexed (the same
-- filter as clock_versions_live). The query must say the interval as this expression: BreachListQuery does.
-- btree_gist lets the council (text) and the instant sit in a GiST index beside the range; it ships with
-- PostgreSQL and is a trusted extension, so the database's owner may create it.
create extension if not exists btree_gist;

create index clock_versions_as_at on clock_versions
    using gist (tenant, tstzrange(known_from, known_to), overdue_from)
    where stopped_on is null and cancelled_on is null and not not_measurable;
