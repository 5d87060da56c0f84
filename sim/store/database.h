// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace pesim::store {

// Any failure of the results database; the message names the file.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One prepared SQL statement; parameters are 1-based as in SQLite.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& path, const std::string& sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, int64_t value);
  Statement& bind(int index, double value);
  Statement& bind(int index, const std::string& value);
  Statement& bind_null(int index);
  bool step();   // true while a row is available; throws StoreError on failure
  void run();    // steps to completion
  void reset();  // for another run with new bindings
  int64_t column_int(int index) const;
  std::string column_text(int index) const;
  double column_double(int index) const;
  bool column_is_null(int index) const;

 private:
  sqlite3* m_db;
  const std::string& m_path;
  sqlite3_stmt* m_stmt = nullptr;
};

// A SQLite file that several pesim components share (`pesim sim --db` runs now; the DSE store's spaces, runs,
// designs and evaluations later): each component owns tables with its own prefix (sim_...) and records their schema
// version in `schema_versions(component, version)`, so one file can hold all of them and a newer file is refused
// rather than misread. WAL mode and a busy timeout, so that readers never block and two processes can write.
class Database {
 public:
  // Opens (or creates) the file; a missing directory, an unreadable file or one that is not a SQLite database
  // throws StoreError naming the path, before anything is written.
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const std::string& path() const { return m_path; }
  void exec(const std::string& sql);
  Statement prepare(const std::string& sql) { return Statement(m_db, m_path, sql); }
  int64_t last_insert_id() const;

  // Runs `body` in one IMMEDIATE transaction: committed when it returns, rolled back (nothing written) if it throws.
  void transaction(const std::function<void()>& body);

  // Inside a transaction: creates `component`'s tables with `create_sql` (CREATE TABLE IF NOT EXISTS ...) and records
  // `version` when the file has none; throws StoreError when the file holds a different version of them.
  void ensure_schema(const std::string& component, int64_t version, const std::string& create_sql);

 private:
  // Throws StoreError, before anything is written, for an SQLite file with tables but no pesim schema (another
  // program's database) and for one that fails SQLite's quick_check (zeroed or torn pages).
  void refuse_foreign_or_damaged();
  std::string m_path;
  sqlite3* m_db = nullptr;
};

}  // namespace pesim::store
