-- The case store as the release before Alembic created it on postgresql (kontrol_lib/sagsstyring/
-- migrations.py `migrer`, version 1: skema_version, then metadata.create_all of schema.py),
-- captured statement by statement from that code. FROZEN: it is what stores in the field have.

CREATE TABLE skema_version (
	version INTEGER NOT NULL,
	anvendt TIMESTAMP WITHOUT TIME ZONE NOT NULL,
	beskrivelse VARCHAR(200) NOT NULL,
	PRIMARY KEY (version)
);

CREATE TABLE sager (
	sag_id VARCHAR(40) NOT NULL,
	kommunekode INTEGER NOT NULL,
	kanal VARCHAR(40) NOT NULL,
	kontroltrin INTEGER NOT NULL,
	myndighed VARCHAR(40) NOT NULL,
	paragraf11 VARCHAR(3) NOT NULL,
	ydelse VARCHAR(40) NOT NULL,
	kle VARCHAR(8),
	ydelsesomraade VARCHAR(40),
	ym_cpr VARCHAR(10),
	oprettet DATE NOT NULL,
	udloebsdato DATE,
	kilde_id VARCHAR(60),
	stamdata TEXT,
	tid TIMESTAMP WITHOUT TIME ZONE NOT NULL,
	PRIMARY KEY (sag_id)
);

CREATE INDEX ix_sager_ym ON sager (ym_cpr);

CREATE UNIQUE INDEX ix_sager_kilde ON sager (kanal, kilde_id);

CREATE TABLE overgange (
	id BIGSERIAL NOT NULL,
	sag_id VARCHAR(40) NOT NULL,
	sekvens INTEGER NOT NULL,
	tid TIMESTAMP WITHOUT TIME ZONE NOT NULL,
	dato DATE NOT NULL,
	bruger VARCHAR(100) NOT NULL,
	haendelse VARCHAR(40) NOT NULL,
	fra VARCHAR(40),
	til VARCHAR(40) NOT NULL,
	data TEXT NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT uq_overgange_sag_sekvens UNIQUE (sag_id, sekvens),
	FOREIGN KEY(sag_id) REFERENCES sager (sag_id)
);

CREATE INDEX ix_overgange_dato ON overgange (dato);

CREATE TABLE visninger (
	id BIGSERIAL NOT NULL,
	tid TIMESTAMP WITHOUT TIME ZONE NOT NULL,
	bruger VARCHAR(100) NOT NULL,
	sag_id VARCHAR(40) NOT NULL,
	hvad VARCHAR(40) NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(sag_id) REFERENCES sager (sag_id)
);

CREATE INDEX ix_visninger_sag ON visninger (sag_id);

CREATE TABLE udfald (
	id BIGSERIAL NOT NULL,
	sag_id VARCHAR(40) NOT NULL,
	overgang_id BIGINT NOT NULL,
	ym_cpr VARCHAR(10) NOT NULL,
	regel VARCHAR(60) NOT NULL,
	haendelse_id VARCHAR(200) NOT NULL,
	person_cpr VARCHAR(10) NOT NULL,
	rolle VARCHAR(10) NOT NULL,
	haendelsesdato DATE,
	kle VARCHAR(8),
	kommunekode INTEGER,
	oplysninger TEXT NOT NULL,
	regel_titel VARCHAR(200) NOT NULL,
	kontroltype VARCHAR(40) NOT NULL,
	koersdato DATE NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT uq_udfald_fredning UNIQUE (ym_cpr, regel, haendelse_id),
	FOREIGN KEY(sag_id) REFERENCES sager (sag_id),
	FOREIGN KEY(overgang_id) REFERENCES overgange (id)
);

CREATE INDEX ix_udfald_sag ON udfald (sag_id);

CREATE TABLE beloeb (
	id BIGSERIAL NOT NULL,
	overgang_id BIGINT NOT NULL,
	sag_id VARCHAR(40) NOT NULL,
	ydelse VARCHAR(40) NOT NULL,
	myndighed VARCHAR(40),
	paragraf11 VARCHAR(3),
	besparelse_rytme VARCHAR(10),
	besparelse_oere BIGINT,
	tilbagebetalingskrav_oere BIGINT,
	efterregulering_oere BIGINT,
	skat_oere BIGINT,
	aendring VARCHAR(20),
	politianmeldt VARCHAR(3),
	videresendt_til VARCHAR(60),
	PRIMARY KEY (id),
	CONSTRAINT uq_beloeb_overgang_ydelse UNIQUE (overgang_id, ydelse),
	FOREIGN KEY(overgang_id) REFERENCES overgange (id),
	FOREIGN KEY(sag_id) REFERENCES sager (sag_id)
);

CREATE INDEX ix_beloeb_sag ON beloeb (sag_id);
