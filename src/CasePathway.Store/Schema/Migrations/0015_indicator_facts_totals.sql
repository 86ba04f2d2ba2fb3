-- The scorecard's totals (a council's facts per indicator and month: how many in the numerator, in the
-- denominator, and the sum of their values) are read from the index alone: with the three columns they add up
-- included, PostgreSQL answers by an index-only scan and never visits the table. A council-year's totals read
-- about 15 times faster on 3 million facts (docs/performance.md). The index replaces the one on the same keys.
create index if not exists indicator_facts_totals on indicator_facts (tenant, month, indicator)
    include (in_numerator, in_denominator, value);
drop index if exists indicator_facts_month;
