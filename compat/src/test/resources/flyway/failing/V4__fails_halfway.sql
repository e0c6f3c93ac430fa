-- The first insert succeeds, the second breaks the primary key: nothing of this migration may remain.
INSERT INTO ${prefix}_person (id, name, email) VALUES (10, 'Barbara', NULL);
INSERT INTO ${prefix}_person (id, name, email) VALUES (1, 'duplicate', NULL);
