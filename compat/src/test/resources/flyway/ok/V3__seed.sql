INSERT INTO ${prefix}_person (id, name, email) VALUES (1, 'Ada', 'ada@example.org');
INSERT INTO ${prefix}_person (id, name, email) VALUES (2, 'Grace', 'grace@example.org');
INSERT INTO ${prefix}_person (id, name, email) VALUES (3, 'Edsger', NULL);
