-- A page's line in the incident channel ("Paged @x (level 1)") is posted once, whichever comes
-- first: the page (when the channel exists) or the channel (when pages went out before it existed).
ALTER TABLE pages ADD COLUMN channel_noted_at timestamptz;
