-- The RESOLVE deadline the latest approved extension set: a new extension is measured from it.
ALTER TABLE ticket ADD COLUMN extended_until timestamptz;
