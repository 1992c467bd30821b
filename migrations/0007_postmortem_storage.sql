-- Drafts can be megabytes (tens of thousands of timeline rows): store them uncompressed, which makes
-- writing a regeneration about twice as fast at the cost of disk (pglz is the only codec everywhere).
ALTER TABLE postmortems ALTER COLUMN markdown SET STORAGE EXTERNAL;
