-- The table the Orleans ADO.NET providers (clustering, grain state, reminders) read their SQL from when they start.
-- They read it with the fixed, unquoted statement "SELECT QueryKey, QueryText FROM OrleansQuery", which PostgreSQL
-- folds to lower case: the table and its columns must be named so, unquoted, in a schema on the search path.
-- Each later script adds the rows (query keys) of one provider.

CREATE TABLE OrleansQuery
(
    QueryKey  varchar(64) PRIMARY KEY,
    QueryText text        NOT NULL
);
