// Versioned schema migrations, tracked in PRAGMA user_version. Each migration runs in its own
// transaction; a database newer than this binary is refused rather than misread.
#pragma once

namespace SQLite {
class Database;
}

namespace regcat {

int latestSchemaVersion();
// Brings the database to the latest version; returns the version it had before.
int migrate(SQLite::Database& db);

}  // namespace regcat
