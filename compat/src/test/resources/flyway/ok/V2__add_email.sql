ALTER TABLE ${prefix}_person ADD COLUMN email VARCHAR(200);
CREATE INDEX ${prefix}_person_email ON ${prefix}_person (email);
