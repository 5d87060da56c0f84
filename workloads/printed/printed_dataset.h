// SPDX-License-Identifier: Apache-2.0
// Classification data sets for the printed-MLP flow: the published .npy splits (workloads/printed/data/) and users'
// CSV files, read into one form with the features min-max scaled on the training split to [0, 0.9], as the
// printed-MLP papers scale them; quantize_inputs() turns those into the circuit's unsigned fixed-point inputs.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace pesim::printed {

// The top of the scaled range: the training maximum of every feature maps to 0.9, leaving headroom below 1.0 for
// test values above the training maximum.
inline constexpr double kScaledFeatureMax = 0.9;

struct DatasetSplit {
  Eigen::MatrixXd features;  // samples x features, scaled with the training split's min and max
  std::vector<int> labels;   // class index per sample, 0 .. class_count() - 1
};

struct Dataset {
  std::string name;                              // the folder's name ("Cardio") or the CSV file's stem
  std::string origin;                            // the folder or file it was read from
  std::vector<std::string> class_names;          // class index -> label text ("0", "1", ... for one-hot .npy labels)
  std::vector<double> feature_min, feature_max;  // the scaler: the training split's raw min and max per feature
  DatasetSplit train, test;

  int feature_count() const { return static_cast<int>(feature_min.size()); }
  int class_count() const { return static_cast<int>(class_names.size()); }
};

class DatasetError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads DIR/X_train.npy, X_test.npy (features, samples x features, any dtype read_npy reads) and Y_train.npy,
// Y_test.npy (one-hot labels, samples x classes) and scales the features (see the file comment): x' = 0.9 * (x - min)
// / (max - min) with the training split's per-feature min and max; a feature constant in training maps to 0; test
// values may fall outside [0, 0.9]. Throws DatasetError naming the file (and the row, counting from 0) for: a missing
// or unreadable file, shapes that disagree (X rows vs Y rows, train vs test features or classes), an empty training
// or test split, fewer than 2 classes, a class with fewer than 2 samples over both splits, a Y row that is not
// one-hot (exactly one 1, the rest 0), a NaN or infinite feature.
Dataset load_npy_dataset(const std::string& directory);

struct CsvOptions {
  double test_fraction = 0.3;  // share of each class that goes to the test split, in (0, 1)
  uint64_t seed = 1;           // seeds the per-class shuffle; equal seeds give equal splits
};

// Reads a CSV file of numeric feature columns followed by one label column (any text; surrounding whitespace and a
// pair of surrounding double quotes are dropped). Comma separated, no commas inside fields; blank lines are skipped
// but counted in line numbers; CRLF and a UTF-8 byte-order mark are accepted. The first row is a header when one of
// its feature fields is not a number. Classes are the distinct labels, indexed in sorted order: by value when every
// label is an integer ("9" < "10"), else by text. Split per class: the class's samples, in file order, are shuffled
// (Fisher-Yates driven by std::mt19937_64 seeded with options.seed, classes in index order) and the first
// round(test_fraction * n) of them, at most n - 1, go to test; both splits keep the file's row order. Scaled as
// load_npy_dataset. Throws std::invalid_argument for test_fraction outside (0, 1); DatasetError naming the file and,
// where there is one, the line and column at fault, for: an unreadable or empty file, a row with a different field
// count than the first row, a feature that is not a finite number, an empty label, fewer than 2 classes, a class with
// fewer than 2 samples, or an empty test split.
Dataset load_csv_dataset(const std::string& path, const CsvOptions& options);

// A directory: load_npy_dataset; a file ending ".csv" (any case): load_csv_dataset; anything else: DatasetError.
Dataset load_dataset(const std::string& path, const CsvOptions& options);

// The circuit's inputs: each scaled feature as an unsigned fraction of `bits` bits,
// q = clamp(round(x * 2^bits), 0, 2^bits - 1) (round half away from zero); one row per sample. Throws
// std::invalid_argument for bits outside 1..16 or a NaN or infinite feature.
std::vector<std::vector<int>> quantize_inputs(const Eigen::MatrixXd& scaled_features, int bits);

}  // namespace pesim::printed
