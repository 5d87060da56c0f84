// SPDX-License-Identifier: Apache-2.0
#include "workloads/printed/printed_dataset.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string_view>

#include "models/num/seeded_random.h"
#include "workloads/tensors/npy.h"

namespace pesim::printed {

namespace fs = std::filesystem;
namespace wl = pesim::workloads;

namespace {

// ---- Scaling

Eigen::MatrixXd scale(const Eigen::MatrixXd& raw, const std::vector<double>& min, const std::vector<double>& max) {
  Eigen::MatrixXd scaled(raw.rows(), raw.cols());
  for (Eigen::Index c = 0; c < raw.cols(); ++c) {
    const double range = max[c] - min[c];
    for (Eigen::Index r = 0; r < raw.rows(); ++r) {
      // (x - min) / range first, so that the training max maps to exactly 0.9.
      scaled(r, c) = range > 0 ? kScaledFeatureMax * ((raw(r, c) - min[c]) / range) : 0.0;
    }
  }
  return scaled;
}

// Fits the scaler on `train_raw` (at least one row) into `data` and stores both splits scaled with it.
void fit_and_scale(Dataset& data, const Eigen::MatrixXd& train_raw, const Eigen::MatrixXd& test_raw) {
  data.feature_min.resize(train_raw.cols());
  data.feature_max.resize(train_raw.cols());
  for (Eigen::Index c = 0; c < train_raw.cols(); ++c) {
    data.feature_min[c] = train_raw.col(c).minCoeff();
    data.feature_max[c] = train_raw.col(c).maxCoeff();
    if (!std::isfinite(data.feature_max[c] - data.feature_min[c])) {
      throw DatasetError(fmt::format("{}: feature {} (from 0): its range {} .. {} overflows a double", data.origin, c,
                                     data.feature_min[c], data.feature_max[c]));
    }
  }
  data.train.features = scale(train_raw, data.feature_min, data.feature_max);
  data.test.features = scale(test_raw, data.feature_min, data.feature_max);
}

std::vector<int> class_sizes(const std::vector<int>& labels, int class_count) {
  std::vector<int> sizes(class_count, 0);
  for (int label : labels) ++sizes[label];
  return sizes;
}

// ---- The .npy layout

struct NpyPart {
  std::string path;
  wl::Tensor2d tensor;
};

NpyPart read_part(const fs::path& directory, const char* file) {
  const std::string path = (directory / file).string();
  if (!fs::exists(path)) {
    throw DatasetError(path + ": missing; a data-set folder holds X_train.npy, X_test.npy, Y_train.npy, Y_test.npy");
  }
  try {
    return {path, wl::read_npy(path)};
  } catch (const wl::NpyError& error) {
    throw DatasetError(error.what());
  }
}

// Shapes: X and Y of a split have equal rows, train and test equal columns, splits are not empty, >= 2 classes.
void check_shapes(const NpyPart& x_train, const NpyPart& x_test, const NpyPart& y_train, const NpyPart& y_test) {
  for (const auto& [x, y] : {std::pair{&x_train, &y_train}, std::pair{&x_test, &y_test}}) {
    if (x->tensor.rows != y->tensor.rows) {
      throw DatasetError(
          fmt::format("{}: {} rows (samples), but {} has {}", y->path, y->tensor.rows, x->path, x->tensor.rows));
    }
    if (x->tensor.rows == 0) throw DatasetError(x->path + ": no samples");
  }
  if (x_test.tensor.cols != x_train.tensor.cols) {
    throw DatasetError(fmt::format("{}: {} features (columns), but {} has {}", x_test.path, x_test.tensor.cols,
                                   x_train.path, x_train.tensor.cols));
  }
  if (y_test.tensor.cols != y_train.tensor.cols) {
    throw DatasetError(fmt::format("{}: {} classes (columns), but {} has {}", y_test.path, y_test.tensor.cols,
                                   y_train.path, y_train.tensor.cols));
  }
  if (y_train.tensor.cols < 2) {
    throw DatasetError(
        fmt::format("{}: {} class column(s); a classifier needs at least 2", y_train.path, y_train.tensor.cols));
  }
}

std::string row_text(const wl::Tensor2d& tensor, int64_t row) {
  constexpr int64_t kShown = 12;
  std::string text;
  for (int64_t c = 0; c < std::min(tensor.cols, kShown); ++c)
    text += fmt::format("{}{}", c ? " " : "", tensor.at(row, c));
  return tensor.cols > kShown ? text + " ..." : text;
}

// The class of each row of a one-hot label matrix.
std::vector<int> one_hot_labels(const NpyPart& y) {
  std::vector<int> labels;
  for (int64_t r = 0; r < y.tensor.rows; ++r) {
    int64_t hot = -1;
    bool one_hot = true;
    for (int64_t c = 0; c < y.tensor.cols; ++c) {
      const double v = y.tensor.at(r, c);
      if (v == 1.0 && hot < 0) {
        hot = c;
      } else if (v != 0.0) {
        one_hot = false;
      }
    }
    if (!one_hot || hot < 0) {
      throw DatasetError(fmt::format("{}: row {} (from 0): [{}] is not one-hot (exactly one 1, the rest 0)", y.path, r,
                                     row_text(y.tensor, r)));
    }
    labels.push_back(static_cast<int>(hot));
  }
  return labels;
}

Eigen::MatrixXd finite_features(const NpyPart& x) {
  Eigen::MatrixXd features(x.tensor.rows, x.tensor.cols);
  for (int64_t r = 0; r < x.tensor.rows; ++r) {
    for (int64_t c = 0; c < x.tensor.cols; ++c) {
      const double v = x.tensor.at(r, c);
      if (!std::isfinite(v)) {
        throw DatasetError(fmt::format("{}: row {}, column {} (from 0): {} is not a finite number", x.path, r, c, v));
      }
      features(r, c) = v;
    }
  }
  return features;
}

void check_npy_class_sizes(const Dataset& data, const NpyPart& y_train, const NpyPart& y_test) {
  const std::vector<int> train = class_sizes(data.train.labels, data.class_count());
  const std::vector<int> test = class_sizes(data.test.labels, data.class_count());
  for (int k = 0; k < data.class_count(); ++k) {
    if (train[k] + test[k] >= 2) continue;
    throw DatasetError(
        fmt::format("{}, {}: class {} (column {}) has {} sample(s), {} in training; each class needs at "
                    "least 2",
                    y_train.path, y_test.path, k, k, train[k] + test[k], train[k]));
  }
}

// The last component of a folder path, also for "data/Cardio/" and ".".
std::string folder_name(const fs::path& directory) {
  fs::path path = fs::absolute(directory).lexically_normal();
  if (path.filename().empty()) path = path.parent_path();
  return path.filename().string();
}

// ---- CSV

constexpr const char* kSpace = " \t\r\f\v";

std::string_view trim(std::string_view text) {
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

// Comma-separated fields, trimmed, each without one pair of surrounding double quotes.
std::vector<std::string> split_fields(std::string_view line) {
  std::vector<std::string> fields;
  for (size_t begin = 0;;) {
    const size_t comma = line.find(',', begin);
    std::string_view field = trim(line.substr(begin, comma == std::string_view::npos ? line.npos : comma - begin));
    if (field.size() >= 2 && field.front() == '"' && field.back() == '"')
      field = trim(field.substr(1, field.size() - 2));
    fields.emplace_back(field);
    if (comma == std::string_view::npos) return fields;
    begin = comma + 1;
  }
}

// All of `text` as a decimal number (optional sign, digits, point, exponent; "nan" and "inf" too), or none.
std::optional<double> parse_number(std::string_view text) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '-') text.remove_prefix(1);  // from_chars takes no '+'
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<int64_t> parse_integer(std::string_view text) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The distinct labels in class-index order: by value when every label is an integer (ties by text), else by text.
std::vector<std::string> class_order(std::vector<std::string> labels) {
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  const bool integers =
      std::all_of(labels.begin(), labels.end(), [](const std::string& l) { return parse_integer(l).has_value(); });
  if (integers) {
    std::stable_sort(labels.begin(), labels.end(),
                     [](const std::string& a, const std::string& b) { return *parse_integer(a) < *parse_integer(b); });
  }
  return labels;
}

struct CsvRow {
  int line = 0;  // in the file, from 1
  std::vector<std::string> fields;
};

// The file's non-blank rows; at least one.
std::vector<CsvRow> read_rows(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw DatasetError(path + ": cannot open");
  std::vector<CsvRow> rows;
  std::string line;
  for (int number = 1; std::getline(file, line); ++number) {
    if (number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 byte-order mark
    if (!trim(line).empty()) rows.push_back({number, split_fields(line)});
  }
  if (rows.empty()) throw DatasetError(path + ": empty file: no data rows");
  return rows;
}

// All samples of a CSV file, unsplit and unscaled.
struct CsvTable {
  Eigen::MatrixXd features;              // samples x features, raw
  std::vector<int> labels;               // class index per sample
  std::vector<int> lines;                // the line of each sample
  std::vector<std::string> class_names;  // class index -> label text
};

// Reads one CSV file; every message about a row starts with FILE:LINE and names the column.
class CsvReader {
 public:
  explicit CsvReader(std::string path) : m_path(std::move(path)) {}

  CsvTable read() {
    const std::vector<CsvRow> rows = read_rows(m_path);
    const CsvRow& first = rows.front();
    m_first_line = first.line;
    m_field_count = first.fields.size();
    if (m_field_count < 2) fail(first.line, "one field; a row holds feature columns, then the label column");
    if (is_header(first)) m_header = first.fields;
    const size_t begin = m_header.empty() ? 0 : 1;
    if (rows.size() == begin) throw DatasetError(m_path + ": empty file: a header and no data rows");
    CsvTable table;
    table.features.resize(static_cast<Eigen::Index>(rows.size() - begin), static_cast<Eigen::Index>(m_field_count - 1));
    std::vector<std::string> labels;
    for (size_t r = begin; r < rows.size(); ++r) {
      check_field_count(rows[r]);
      for (size_t c = 0; c + 1 < m_field_count; ++c)
        table.features(static_cast<Eigen::Index>(r - begin), static_cast<Eigen::Index>(c)) = feature(rows[r], c);
      labels.push_back(label(rows[r]));
      table.lines.push_back(rows[r].line);
    }
    assign_classes(labels, table);
    return table;
  }

 private:
  [[noreturn]] void fail(int line, const std::string& message) const {
    throw DatasetError(fmt::format("{}:{}: {}", m_path, line, message));
  }

  // "column 3 (feature 'age')", from 1; without a header "column 3 (feature 3)", "column 4 (the label)".
  std::string column(size_t index) const {
    const bool is_label = index + 1 == m_field_count;
    if (!m_header.empty())
      return fmt::format("column {} ({} '{}')", index + 1, is_label ? "label" : "feature", m_header[index]);
    return is_label ? fmt::format("column {} (the label)", index + 1)
                    : fmt::format("column {} (feature {})", index + 1, index + 1);
  }

  static bool is_header(const CsvRow& row) {
    for (size_t c = 0; c + 1 < row.fields.size(); ++c) {
      if (!parse_number(row.fields[c])) return true;
    }
    return false;
  }

  void check_field_count(const CsvRow& row) const {
    const size_t count = row.fields.size();
    if (count == m_field_count) return;
    const std::string head = fmt::format("{} fields where line {} has {}: ", count, m_first_line, m_field_count);
    if (count < m_field_count) fail(row.line, head + column(count) + " is missing");
    fail(row.line, head + fmt::format("column {} ('{}') is extra", m_field_count + 1, row.fields[m_field_count]));
  }

  double feature(const CsvRow& row, size_t index) const {
    const std::string& text = row.fields[index];
    const std::optional<double> value = parse_number(text);
    if (!value) fail(row.line, fmt::format("{}: '{}' is not a number", column(index), text));
    if (!std::isfinite(*value)) fail(row.line, fmt::format("{}: '{}' is not a finite number", column(index), text));
    return *value;
  }

  std::string label(const CsvRow& row) const {
    const std::string& text = row.fields[m_field_count - 1];
    if (text.empty()) fail(row.line, column(m_field_count - 1) + ": empty label");
    return text;
  }

  // Fills table.class_names and table.labels; at least 2 classes, each with at least 2 samples.
  void assign_classes(const std::vector<std::string>& labels, CsvTable& table) const {
    table.class_names = class_order(labels);
    if (table.class_names.size() < 2) {
      throw DatasetError(fmt::format("{}: {}: every sample is '{}'; a classifier needs at least 2 classes", m_path,
                                     column(m_field_count - 1), table.class_names.front()));
    }
    for (const std::string& text : labels) {
      const auto found = std::find(table.class_names.begin(), table.class_names.end(), text);
      table.labels.push_back(static_cast<int>(found - table.class_names.begin()));
    }
    const std::vector<int> sizes = class_sizes(table.labels, static_cast<int>(table.class_names.size()));
    for (size_t s = 0; s < table.labels.size(); ++s) {
      if (sizes[table.labels[s]] >= 2) continue;
      fail(table.lines[s], fmt::format("{}: class '{}' has this one sample; each class needs at least 2 (to train "
                                       "on and to test)",
                                       column(m_field_count - 1), labels[s]));
    }
  }

  std::string m_path;
  std::vector<std::string> m_header;  // column names; empty without a header row
  size_t m_field_count = 0;           // fields per row, from the first row
  int m_first_line = 0;
};

// ---- The stratified split

// Whether each sample goes to test: per class, in index order, the class's samples shuffled and the first
// round(test_fraction * n), at most n - 1, taken.
std::vector<bool> test_mask(const std::vector<int>& labels, int class_count, const CsvOptions& options) {
  num::SeededRandom random(options.seed);  // splits depend only on mt19937_64's fixed sequence
  std::vector<bool> is_test(labels.size(), false);
  for (int k = 0; k < class_count; ++k) {
    std::vector<size_t> members;
    for (size_t s = 0; s < labels.size(); ++s) {
      if (labels[s] == k) members.push_back(s);
    }
    random.shuffle(members);
    const long wanted = std::lround(options.test_fraction * static_cast<double>(members.size()));
    const size_t taken = std::min(static_cast<size_t>(wanted), members.size() - 1);
    for (size_t i = 0; i < taken; ++i) is_test[members[i]] = true;
  }
  return is_test;
}

// The samples whose mask entry is `wanted`, in order.
Eigen::MatrixXd select_rows(const Eigen::MatrixXd& features, const std::vector<bool>& mask, bool wanted) {
  Eigen::MatrixXd rows(std::count(mask.begin(), mask.end(), wanted), features.cols());
  Eigen::Index next = 0;
  for (size_t s = 0; s < mask.size(); ++s) {
    if (mask[s] == wanted) rows.row(next++) = features.row(static_cast<Eigen::Index>(s));
  }
  return rows;
}

std::vector<int> select_labels(const std::vector<int>& labels, const std::vector<bool>& mask, bool wanted) {
  std::vector<int> selected;
  for (size_t s = 0; s < mask.size(); ++s) {
    if (mask[s] == wanted) selected.push_back(labels[s]);
  }
  return selected;
}

}  // namespace

Dataset load_npy_dataset(const std::string& directory) {
  std::error_code error;
  if (!fs::is_directory(directory, error)) throw DatasetError(directory + ": not a directory");
  const NpyPart x_train = read_part(directory, "X_train.npy"), x_test = read_part(directory, "X_test.npy");
  const NpyPart y_train = read_part(directory, "Y_train.npy"), y_test = read_part(directory, "Y_test.npy");
  check_shapes(x_train, x_test, y_train, y_test);
  Dataset data;
  data.name = folder_name(directory);
  data.origin = directory;
  for (int64_t k = 0; k < y_train.tensor.cols; ++k) data.class_names.push_back(std::to_string(k));
  data.train.labels = one_hot_labels(y_train);
  data.test.labels = one_hot_labels(y_test);
  check_npy_class_sizes(data, y_train, y_test);
  fit_and_scale(data, finite_features(x_train), finite_features(x_test));
  return data;
}

Dataset load_csv_dataset(const std::string& path, const CsvOptions& options) {
  if (!(options.test_fraction > 0 && options.test_fraction < 1)) {
    throw std::invalid_argument(fmt::format("test_fraction {} is not in (0, 1)", options.test_fraction));
  }
  const CsvTable table = CsvReader(path).read();
  const std::vector<bool> is_test = test_mask(table.labels, static_cast<int>(table.class_names.size()), options);
  if (std::find(is_test.begin(), is_test.end(), true) == is_test.end()) {
    throw DatasetError(fmt::format("{}: test_fraction {} puts no sample of {} in the test split", path,
                                   options.test_fraction, is_test.size()));
  }
  Dataset data;
  data.name = fs::path(path).stem().string();
  data.origin = path;
  data.class_names = table.class_names;
  data.train.labels = select_labels(table.labels, is_test, false);
  data.test.labels = select_labels(table.labels, is_test, true);
  fit_and_scale(data, select_rows(table.features, is_test, false), select_rows(table.features, is_test, true));
  return data;
}

Dataset load_dataset(const std::string& path, const CsvOptions& options) {
  std::error_code error;
  if (fs::is_directory(path, error)) return load_npy_dataset(path);
  std::string extension = fs::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".csv") return load_csv_dataset(path, options);
  if (!fs::exists(path, error)) throw DatasetError(path + ": no such file or directory");
  throw DatasetError(path +
                     ": not a data set; give a folder of X_train.npy, X_test.npy, Y_train.npy, Y_test.npy "
                     "or a .csv file");
}

std::vector<std::vector<int>> quantize_inputs(const Eigen::MatrixXd& scaled_features, int bits) {
  if (bits < 1 || bits > 16) throw std::invalid_argument(fmt::format("quantize_inputs: bits {} is not in 1..16", bits));
  const double steps = std::ldexp(1.0, bits);  // 2^bits
  std::vector<std::vector<int>> inputs(scaled_features.rows());
  for (Eigen::Index r = 0; r < scaled_features.rows(); ++r) {
    for (Eigen::Index c = 0; c < scaled_features.cols(); ++c) {
      const double x = scaled_features(r, c);
      if (!std::isfinite(x)) {
        throw std::invalid_argument(fmt::format("quantize_inputs: row {}, column {}: {} is not finite", r, c, x));
      }
      inputs[r].push_back(static_cast<int>(std::clamp(std::round(x * steps), 0.0, steps - 1)));
    }
  }
  return inputs;
}

}  // namespace pesim::printed
