// SPDX-License-Identifier: Apache-2.0
#include "sim/store/database.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>

#include "models/params/param.h"

namespace pesim::store {

Statement::Statement(sqlite3* db, const std::string& path, const std::string& sql) : m_db(db), m_path(path) {
  if (sqlite3_prepare_v2(m_db, sql.c_str(), -1, &m_stmt, nullptr) != SQLITE_OK) {
    throw StoreError(m_path + ": " + sqlite3_errmsg(m_db));
  }
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

Statement& Statement::bind(int index, int64_t value) {
  sqlite3_bind_int64(m_stmt, index, value);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  sqlite3_bind_double(m_stmt, index, value);
  return *this;
}

Statement& Statement::bind(int index, const std::string& value) {
  sqlite3_bind_text(m_stmt, index, value.c_str(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(m_stmt, index);
  return *this;
}

bool Statement::step() {
  const int status = sqlite3_step(m_stmt);
  if (status == SQLITE_ROW) return true;
  if (status == SQLITE_DONE) return false;
  throw StoreError(m_path + ": " + sqlite3_errmsg(m_db));
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
}

int64_t Statement::column_int(int index) const { return sqlite3_column_int64(m_stmt, index); }

double Statement::column_double(int index) const { return sqlite3_column_double(m_stmt, index); }

bool Statement::column_is_null(int index) const { return sqlite3_column_type(m_stmt, index) == SQLITE_NULL; }

std::string Statement::column_text(int index) const {
  const unsigned char* text = sqlite3_column_text(m_stmt, index);
  return text ? reinterpret_cast<const char*>(text) : "";
}

Database::Database(const std::string& path) : m_path(path) {
  if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    const std::string message = m_db ? sqlite3_errmsg(m_db) : "out of memory";
    sqlite3_close(m_db);
    m_db = nullptr;
    throw StoreError(path + ": cannot open the database: " + message);
  }
  try {
    sqlite3_busy_timeout(m_db, 10000);
    refuse_foreign_or_damaged();  // reads only: the first read of the file fails here if it is not a database
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    exec("PRAGMA foreign_keys=ON");
  } catch (const StoreError&) {
    sqlite3_close(m_db);
    m_db = nullptr;
    throw;
  }
}

Database::~Database() { sqlite3_close(m_db); }

void Database::refuse_foreign_or_damaged() {
  std::string tables;
  bool is_pesim_store = false;
  Statement list = prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  while (list.step()) {
    const std::string name = list.column_text(0);
    is_pesim_store = is_pesim_store || name == "schema_versions";
    tables += (tables.empty() ? "" : ", ") + name;
  }
  if (!tables.empty() && !is_pesim_store) {
    throw StoreError(
        fmt::format("{}: an SQLite database that is not a pesim store (its tables: {}); pesim adds its "
                    "tables only to new files and its own stores",
                    m_path, params::excerpt(tables)));
  }
  Statement check = prepare("PRAGMA quick_check(1)");
  std::string verdict = check.step() ? check.column_text(0) : "no answer";
  std::replace(verdict.begin(), verdict.end(), '\n', ' ');
  if (verdict != "ok") {
    throw StoreError(fmt::format("{}: the database is damaged (SQLite quick_check: {}); pesim will not write into it",
                                 m_path, verdict));
  }
}

void Database::exec(const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : sqlite3_errmsg(m_db);
    sqlite3_free(error);
    throw StoreError(m_path + ": " + message);
  }
}

int64_t Database::last_insert_id() const { return sqlite3_last_insert_rowid(m_db); }

void Database::transaction(const std::function<void()>& body) {
  exec("BEGIN IMMEDIATE");
  try {
    body();
    exec("COMMIT");
  } catch (...) {
    sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void Database::ensure_schema(const std::string& component, int64_t version, const std::string& create_sql) {
  exec("CREATE TABLE IF NOT EXISTS schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)");
  Statement find = prepare("SELECT version FROM schema_versions WHERE component = ?");
  find.bind(1, component);
  if (find.step()) {
    const int64_t stored = find.column_int(0);
    if (stored == version) return;
    throw StoreError(fmt::format("{}: its {} tables are schema version {}; this pesim reads version {}", m_path,
                                 component, stored, version));
  }
  exec(create_sql);
  prepare("INSERT INTO schema_versions (component, version) VALUES (?, ?)").bind(1, component).bind(2, version).run();
}

}  // namespace pesim::store
