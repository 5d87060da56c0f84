// SPDX-License-Identifier: Apache-2.0
// The printed-MLP data-set loader: the stored Cardio split against the raw .npy files read and scaled here by hand;
// CSV header detection, class order, stratified splits and error messages on small files written here; the inputs'
// fixed-point quantization against hand-worked values.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "pesim/version.h"
#include "workloads/printed/printed_dataset.h"
#include "workloads/tensors/npy.h"

namespace pr = pesim::printed;
namespace wl = pesim::workloads;
namespace fs = std::filesystem;
using Catch::Contains;

namespace {

const std::string kCardio = pesim::source_path("workloads/printed/data/Cardio");

fs::path scratch_folder() {
  const fs::path folder = fs::temp_directory_path() / "pesim_test_printed_dataset";
  fs::create_directories(folder);
  return folder;
}

// Writes `text` to `name` in this test's scratch folder; returns the path. Each test case uses its own names.
std::string write_file(const std::string& name, const std::string& text) {
  const fs::path path = scratch_folder() / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

// A .npy data-set folder `name` in the scratch folder holding the given arrays; returns its path.
std::string npy_folder(const std::string& name, const wl::Tensor2d& x_train, const wl::Tensor2d& y_train,
                       const wl::Tensor2d& x_test = {2, 2, {1, 2, 3, 4}},
                       const wl::Tensor2d& y_test = {2, 2, {1, 0, 0, 1}}) {
  const fs::path folder = scratch_folder() / name;
  fs::create_directories(folder);
  wl::write_npy_f32((folder / "X_train.npy").string(), x_train);
  wl::write_npy_f32((folder / "Y_train.npy").string(), y_train);
  wl::write_npy_f32((folder / "X_test.npy").string(), x_test);
  wl::write_npy_f32((folder / "Y_test.npy").string(), y_test);
  return folder.string();
}

// "id,label" rows: feature 0 is the row's id (0, 1, ...), so that a sample can be traced through the split.
std::string id_rows(const std::vector<std::string>& labels) {
  std::string text;
  for (size_t i = 0; i < labels.size(); ++i) text += std::to_string(i) + "," + labels[i] + "\n";
  return text;
}

std::vector<std::string> repeated(const std::vector<std::pair<std::string, int>>& counts) {
  std::vector<std::string> labels;
  for (const auto& [label, count] : counts) labels.insert(labels.end(), count, label);
  return labels;
}

// The raw ids of a split of an id_rows() file, undoing the scaling with the stored scaler.
std::vector<long> ids(const pr::Dataset& data, const pr::DatasetSplit& split) {
  std::vector<long> result;
  const double range = data.feature_max[0] - data.feature_min[0];
  for (Eigen::Index r = 0; r < split.features.rows(); ++r) {
    result.push_back(std::lround(data.feature_min[0] + split.features(r, 0) / 0.9 * range));
  }
  return result;
}

int count_of(const std::vector<int>& labels, int k) {
  return static_cast<int>(std::count(labels.begin(), labels.end(), k));
}

pr::CsvOptions seeded(uint64_t seed) {
  pr::CsvOptions options;
  options.seed = seed;
  return options;
}

}  // namespace

TEST_CASE("printed dataset: Cardio has its published sizes and classes", "[printed]") {
  const pr::Dataset cardio = pr::load_npy_dataset(kCardio);
  CHECK(cardio.name == "Cardio");
  CHECK(cardio.origin == kCardio);
  CHECK(cardio.train.features.rows() == 1488);
  CHECK(cardio.test.features.rows() == 638);
  CHECK(cardio.feature_count() == 21);
  CHECK(cardio.train.features.cols() == 21);
  CHECK(cardio.test.features.cols() == 21);
  CHECK(cardio.class_count() == 3);
  CHECK(cardio.class_names == std::vector<std::string>{"0", "1", "2"});
  REQUIRE(cardio.train.labels.size() == 1488);
  REQUIRE(cardio.test.labels.size() == 638);
  // Class sizes counted from Y_train.npy / Y_test.npy by a separate (Python) reader.
  CHECK(count_of(cardio.train.labels, 0) == 1159);
  CHECK(count_of(cardio.train.labels, 1) == 194);
  CHECK(count_of(cardio.train.labels, 2) == 135);
  CHECK(count_of(cardio.test.labels, 2) == 41);
  // Every label is its one-hot row's position of the 1.
  const wl::Tensor2d y_train = wl::read_npy(kCardio + "/Y_train.npy");
  int disagreements = 0;
  for (int64_t r = 0; r < y_train.rows; ++r) disagreements += y_train.at(r, cardio.train.labels[r]) != 1.0;
  CHECK(disagreements == 0);
}

TEST_CASE("printed dataset: Cardio's training features span [0, 0.9] per column", "[printed]") {
  const pr::Dataset cardio = pr::load_npy_dataset(kCardio);
  const Eigen::MatrixXd& x = cardio.train.features;
  int constant_columns = 0;
  for (Eigen::Index c = 0; c < x.cols(); ++c) {
    INFO("column " << c);
    if (cardio.feature_min[c] == cardio.feature_max[c]) {
      ++constant_columns;
      CHECK((x.col(c).array() == 0.0).all());
      continue;
    }
    CHECK(x.col(c).minCoeff() == 0.0);
    CHECK(x.col(c).maxCoeff() == Approx(0.9).margin(1e-12));
    CHECK(x.col(c).maxCoeff() <= 0.9);
  }
  // pesim keeps Cardio's raw features (the upstream `_sc` files): no column is constant, the per-second rates (AC,
  // UC, DL, DS, DP) included (see workloads/printed/README.md).
  CHECK(constant_columns == 0);
}

TEST_CASE("printed dataset: Cardio's scaling matches a hand computation from the raw files", "[printed]") {
  const pr::Dataset cardio = pr::load_npy_dataset(kCardio);
  // Worked from the values a Python reader prints: column 0 spans 106 .. 160 in training, column 7 12 .. 87,
  // column 15 0 .. 5; X_train[0][0] = 131, X_train[5][7] = 37, X_test[0][0] = 133, X_test[589][15] = 10.
  CHECK(cardio.feature_min[0] == 106.0);
  CHECK(cardio.feature_max[0] == 160.0);
  CHECK(cardio.train.features(0, 0) == Approx(0.9 * 25 / 54));
  CHECK(cardio.train.features(5, 7) == Approx(0.3));
  CHECK(cardio.test.features(0, 0) == Approx(0.45));
  CHECK(cardio.test.features(589, 15) == Approx(1.8));  // test values are scaled with the training range
  CHECK(cardio.test.features.col(15).maxCoeff() == Approx(1.8));

  const wl::Tensor2d raw_train = wl::read_npy(kCardio + "/X_train.npy");
  const wl::Tensor2d raw_test = wl::read_npy(kCardio + "/X_test.npy");
  const auto by_hand = [&](const wl::Tensor2d& raw, int64_t r, int64_t c) {
    double lo = raw_train.at(0, c), hi = lo;
    for (int64_t i = 0; i < raw_train.rows; ++i) {
      lo = std::min(lo, raw_train.at(i, c));
      hi = std::max(hi, raw_train.at(i, c));
    }
    return 0.9 * (raw.at(r, c) - lo) / (hi - lo);
  };
  for (const auto& [r, c] : std::vector<std::pair<int64_t, int64_t>>{{0, 0}, {5, 10}, {100, 11}, {1487, 20}}) {
    INFO("train row " << r << ", column " << c);
    CHECK(cardio.train.features(r, c) == Approx(by_hand(raw_train, r, c)));
  }
  for (const auto& [r, c] : std::vector<std::pair<int64_t, int64_t>>{{0, 12}, {300, 19}, {637, 8}}) {
    INFO("test row " << r << ", column " << c);
    CHECK(cardio.test.features(r, c) == Approx(by_hand(raw_test, r, c)));
  }
}

TEST_CASE("printed dataset: load_dataset picks the reader by path", "[printed]") {
  CHECK(pr::load_dataset(kCardio + "/", {}).name == "Cardio");
  const std::string csv = write_file("pick.CSV", id_rows(repeated({{"a", 3}, {"b", 3}})));
  CHECK(pr::load_dataset(csv, {}).name == "pick");
  const std::string other = write_file("pick.txt", "1,a\n");
  CHECK_THROWS_AS(pr::load_dataset(other, {}), pr::DatasetError);
  CHECK_THROWS_WITH(pr::load_dataset(other, {}), Contains("pick.txt"));
}

TEST_CASE("printed dataset: CSV header detection, whitespace, blank lines and CRLF", "[printed]") {
  const std::string rows = " 1 , 2, a\r\n3,4 ,b \r\n\r\n5,6,a\r\n7,8,b\r\n  \r\n9,10,a\r\n11,12,b\r\n";
  for (const std::string& header : {std::string("age, height , class\r\n"), std::string("1,height,class\n")}) {
    INFO("header " << header);
    const pr::Dataset data = pr::load_csv_dataset(write_file("header.csv", header + rows), {});
    CHECK(data.train.features.rows() + data.test.features.rows() == 6);
    CHECK(data.feature_count() == 2);
    CHECK(data.class_names == std::vector<std::string>{"a", "b"});
  }
  const pr::Dataset plain = pr::load_csv_dataset(write_file("no_header.csv", rows), {});
  CHECK(plain.name == "no_header");
  CHECK(plain.train.features.rows() + plain.test.features.rows() == 6);
  CHECK(plain.class_names == std::vector<std::string>{"a", "b"});
  // A "+" sign, exponents and quoted fields are numbers and labels like any other.
  const pr::Dataset quoted =
      pr::load_csv_dataset(write_file("quoted.csv", "\"+1\",\"a\"\n2e0,\"b\"\n\"3\",a\n4,b\n5,a\n6,b\n"), {});
  CHECK(quoted.class_names == std::vector<std::string>{"a", "b"});
  CHECK(quoted.train.features.rows() + quoted.test.features.rows() == 6);
}

TEST_CASE("printed dataset: CSV classes are the labels in sorted order", "[printed]") {
  const auto classes = [](const std::string& name, const std::vector<std::string>& labels) {
    return pr::load_csv_dataset(write_file(name, id_rows(labels)), {}).class_names;
  };
  CHECK(classes("order_text.csv", {"b", "a", "b", "a"}) == std::vector<std::string>{"a", "b"});
  CHECK(classes("order_int.csv", {"10", "9", "10", "9"}) == std::vector<std::string>{"9", "10"});
  CHECK(classes("order_neg.csv", {"2", "-1", "2", "-1"}) == std::vector<std::string>{"-1", "2"});
  CHECK(classes("order_mixed.csv", {"10", "9", "x", "10", "9", "x"}) == std::vector<std::string>{"10", "9", "x"});

  // Each sample keeps its label: feature 0 is 0 for every "a" row and 1 for every "b" row (scaled to 0 and 0.9).
  const pr::Dataset data =
      pr::load_csv_dataset(write_file("mapping.csv", "1,b\n1,b\n0,a\n1,b\n0,a\n0,a\n1,b\n0,a\n"), {});
  CHECK(data.class_names == std::vector<std::string>{"a", "b"});
  for (const pr::DatasetSplit* split : {&data.train, &data.test}) {
    for (Eigen::Index r = 0; r < split->features.rows(); ++r) {
      CHECK(split->labels[r] == (split->features(r, 0) > 0 ? 1 : 0));
    }
  }
  const pr::Dataset numeric =
      pr::load_csv_dataset(write_file("mapping_int.csv", "1,10\n1,10\n0,9\n1,10\n0,9\n0,9\n"), {});
  CHECK(numeric.class_names == std::vector<std::string>{"9", "10"});
  for (const pr::DatasetSplit* split : {&numeric.train, &numeric.test}) {
    for (Eigen::Index r = 0; r < split->features.rows(); ++r) {
      CHECK(split->labels[r] == (split->features(r, 0) > 0 ? 1 : 0));
    }
  }
}

TEST_CASE("printed dataset: CSV split is stratified per class", "[printed]") {
  // 10 a, 7 b, 3 c: round(0.3 n) = 3, 2 (2.1) and 1 (0.9) go to test.
  const std::string path = write_file("strata.csv", id_rows(repeated({{"a", 10}, {"b", 7}, {"c", 3}})));
  for (uint64_t seed : {1, 2, 3, 42}) {
    INFO("seed " << seed);
    const pr::Dataset data = pr::load_csv_dataset(path, seeded(seed));
    CHECK(count_of(data.test.labels, 0) == 3);
    CHECK(count_of(data.test.labels, 1) == 2);
    CHECK(count_of(data.test.labels, 2) == 1);
    CHECK(count_of(data.train.labels, 0) == 7);
    CHECK(count_of(data.train.labels, 1) == 5);
    CHECK(count_of(data.train.labels, 2) == 2);
  }
  // 5 a, 2 b: round(0.3 * 5 = 1.5) = 2 (half away from zero), round(0.6) = 1; with 0.5, round(2.5) = 3 and 1; with
  // 0.9, round(4.5) = 5 and round(1.8) = 2, capped at n - 1 (4 and 1) so that every class keeps a training sample.
  const std::string small = write_file("strata_small.csv", id_rows(repeated({{"a", 5}, {"b", 2}})));
  for (const auto& [fraction, test_a, test_b] :
       std::vector<std::tuple<double, int, int>>{{0.3, 2, 1}, {0.5, 3, 1}, {0.9, 4, 1}}) {
    INFO("test_fraction " << fraction);
    pr::CsvOptions options;
    options.test_fraction = fraction;
    const pr::Dataset data = pr::load_csv_dataset(small, options);
    CHECK(count_of(data.test.labels, 0) == test_a);
    CHECK(count_of(data.test.labels, 1) == test_b);
    CHECK(count_of(data.train.labels, 0) == 5 - test_a);
  }
}

TEST_CASE("printed dataset: CSV split is a partition fixed by the seed", "[printed]") {
  const std::string path = write_file("seeded.csv", id_rows(repeated({{"a", 20}, {"b", 20}})));
  const pr::Dataset first = pr::load_csv_dataset(path, seeded(7));
  const pr::Dataset again = pr::load_csv_dataset(path, seeded(7));
  const pr::Dataset other = pr::load_csv_dataset(path, seeded(8));
  CHECK(first.train.features == again.train.features);
  CHECK(first.test.features == again.test.features);
  CHECK(first.test.labels == again.test.labels);
  CHECK(ids(first, first.test) == ids(again, again.test));
  CHECK(ids(first, first.test) != ids(other, other.test));

  // Every sample lands in exactly one split, each split in file order.
  const std::vector<long> train = ids(first, first.train), test = ids(first, first.test);
  CHECK(std::is_sorted(train.begin(), train.end()));
  CHECK(std::is_sorted(test.begin(), test.end()));
  std::multiset<long> all(train.begin(), train.end());
  all.insert(test.begin(), test.end());
  std::multiset<long> expected;
  for (long i = 0; i < 40; ++i) expected.insert(i);
  CHECK(all == expected);
  // Samples 0..19 are "a" (class 0), 20..39 "b".
  for (size_t i = 0; i < test.size(); ++i) CHECK(first.test.labels[i] == (test[i] < 20 ? 0 : 1));
}

TEST_CASE("printed dataset: CSV errors name the file, line and column", "[printed]") {
  const std::string header = "age,height,class\n";
  const auto error_of = [](const std::string& path) -> std::string {
    try {
      pr::load_csv_dataset(path, {});
    } catch (const pr::DatasetError& error) {
      return error.what();
    }
    return "(no error)";
  };
  const std::string not_number = write_file("bad_number.csv", header + "1,2,a\n\n3,abc,b\n");
  CHECK_THAT(error_of(not_number), Contains("bad_number.csv:4:") && Contains("column 2") && Contains("height") &&
                                       Contains("'abc' is not a number"));
  const std::string missing = write_file("bad_short.csv", header + "1,2,a\n3,b\n");
  CHECK_THAT(error_of(missing),
             Contains("bad_short.csv:3:") && Contains("column 3") && Contains("class") && Contains("line 1 has 3"));
  const std::string extra = write_file("bad_long.csv", header + "1,2,a\n3,4,b,9\n");
  CHECK_THAT(error_of(extra), Contains("bad_long.csv:3:") && Contains("column 4") && Contains("'9'"));
  const std::string nan = write_file("bad_nan.csv", header + "1,2,a\n3,nan,b\n");
  CHECK_THAT(error_of(nan), Contains("bad_nan.csv:3:") && Contains("height") && Contains("not a finite number"));
  const std::string no_header = write_file("bad_plain.csv", "1,2,a\n3,x,b\n");
  CHECK_THAT(error_of(no_header), Contains("bad_plain.csv:2:") && Contains("column 2 (feature 2)"));
  const std::string empty_label = write_file("bad_label.csv", header + "1,2,a\n3,4,\n");
  CHECK_THAT(error_of(empty_label), Contains("bad_label.csv:3:") && Contains("label 'class'"));

  const std::string one_class = write_file("bad_one_class.csv", header + "1,2,a\n3,4,a\n");
  CHECK_THAT(error_of(one_class), Contains("bad_one_class.csv") && Contains("class") && Contains("at least 2"));
  const std::string lone = write_file("bad_lone.csv", header + "1,2,a\n3,4,a\n5,6,b\n7,8,a\n");
  CHECK_THAT(error_of(lone), Contains("bad_lone.csv:4:") && Contains("'b'") && Contains("at least 2"));
  CHECK_THAT(error_of(write_file("bad_empty.csv", "")), Contains("bad_empty.csv") && Contains("empty"));
  CHECK_THAT(error_of(write_file("bad_blank.csv", "\n  \r\n")), Contains("bad_blank.csv") && Contains("empty"));
  CHECK_THAT(error_of(write_file("bad_header_only.csv", header)), Contains("bad_header_only.csv"));
  CHECK_THAT(error_of((scratch_folder() / "absent.csv").string()), Contains("absent.csv"));

  const std::string good = write_file("good.csv", id_rows(repeated({{"a", 3}, {"b", 3}})));
  for (double fraction : {0.0, 1.0, -0.1, 1.5, std::nan("")}) {
    pr::CsvOptions options;
    options.test_fraction = fraction;
    CHECK_THROWS_AS(pr::load_csv_dataset(good, options), std::invalid_argument);
  }
  pr::CsvOptions tiny;
  tiny.test_fraction = 0.01;  // rounds to no test sample in either class
  CHECK_THROWS_WITH(pr::load_csv_dataset(good, tiny), Contains("good.csv") && Contains("test split"));
}

TEST_CASE("printed dataset: .npy errors name the file", "[printed]") {
  const wl::Tensor2d x{3, 2, {0, 1, 2, 3, 4, 5}};
  const std::string good = npy_folder("npy_good", x, {3, 2, {1, 0, 0, 1, 1, 0}});
  CHECK(pr::load_npy_dataset(good).train.labels == std::vector<int>{0, 1, 0});
  CHECK(pr::load_npy_dataset(good).test.features(1, 1) == Approx(0.9 * (4 - 1) / (5 - 1)));

  fs::remove(fs::path(good) / "Y_test.npy");
  CHECK_THROWS_WITH(pr::load_npy_dataset(good), Contains("Y_test.npy") && Contains("missing"));
  const std::string rows = npy_folder("npy_rows", x, {2, 2, {1, 0, 0, 1}});
  CHECK_THROWS_WITH(pr::load_npy_dataset(rows), Contains("Y_train.npy") && Contains("X_train.npy"));
  const std::string features = npy_folder("npy_features", {3, 1, {0, 1, 2}}, {3, 2, {1, 0, 0, 1, 1, 0}});
  CHECK_THROWS_WITH(pr::load_npy_dataset(features), Contains("X_test.npy") && Contains("X_train.npy"));
  const std::string two_hot = npy_folder("npy_two_hot", x, {3, 2, {1, 0, 0, 1, 1, 1}});
  CHECK_THROWS_WITH(pr::load_npy_dataset(two_hot),
                    Contains("Y_train.npy") && Contains("row 2") && Contains("not one-hot"));
  const std::string soft = npy_folder("npy_soft", x, {3, 2, {1, 0, 0.5, 0.5, 1, 0}});
  CHECK_THROWS_WITH(pr::load_npy_dataset(soft), Contains("Y_train.npy") && Contains("row 1"));
  const std::string not_finite =
      npy_folder("npy_nan", {3, 2, {0, 1, 2, std::nan(""), 4, 5}}, {3, 2, {1, 0, 0, 1, 1, 0}});
  CHECK_THROWS_WITH(pr::load_npy_dataset(not_finite), Contains("X_train.npy") && Contains("row 1, column 1"));
  const std::string one_class = npy_folder("npy_one_class", x, {3, 1, {1, 1, 1}}, {2, 2, {1, 2, 3, 4}}, {2, 1, {1, 1}});
  CHECK_THROWS_WITH(pr::load_npy_dataset(one_class), Contains("Y_train.npy") && Contains("at least 2"));
  const std::string lone =
      npy_folder("npy_lone", x, {3, 2, {1, 0, 1, 0, 1, 0}}, {2, 2, {1, 2, 3, 4}}, {2, 2, {0, 1, 1, 0}});
  CHECK_THROWS_WITH(pr::load_npy_dataset(lone), Contains("Y_train.npy") && Contains("class 1"));
  const std::string classes =
      npy_folder("npy_classes", x, {3, 2, {1, 0, 0, 1, 1, 0}}, {2, 2, {1, 2, 3, 4}}, {2, 3, {1, 0, 0, 0, 1, 0}});
  CHECK_THROWS_WITH(pr::load_npy_dataset(classes), Contains("Y_test.npy") && Contains("Y_train.npy"));
  CHECK_THROWS_WITH(pr::load_npy_dataset((scratch_folder() / "npy_absent").string()), Contains("npy_absent"));
}

TEST_CASE("printed dataset: inputs quantize to rounded, clamped fractions", "[printed]") {
  Eigen::MatrixXd x(2, 5);
  x << 0.0, 0.03125, 0.09375, 0.9, 0.99,  //
      0.95, -0.1, 0.5, 0.2, 1.8;
  // 4 bits, x * 16: 0, 0.5 -> 1, 1.5 -> 2, 14.4 -> 14, 15.84 -> 16 -> 15; 15.2 -> 15, -1.6 -> -2 -> 0, 8, 3.2 -> 3,
  // 28.8 -> 15.
  CHECK(pr::quantize_inputs(x, 4) == std::vector<std::vector<int>>{{0, 1, 2, 14, 15}, {15, 0, 8, 3, 15}});
  // 3 bits, x * 8: 0, 0.25 -> 0, 0.75 -> 1, 7.2 -> 7, 7.92 -> 8 -> 7; 7.6 -> 8 -> 7, -0.8 -> -1 -> 0, 4, 1.6 -> 2,
  // 14.4 -> 7.
  CHECK(pr::quantize_inputs(x, 3) == std::vector<std::vector<int>>{{0, 0, 1, 7, 7}, {7, 0, 4, 2, 7}});
  // 1 bit, x * 2: 0, 0.0625 -> 0, 0.1875 -> 0, 1.8 -> 2 -> 1, 1.98 -> 1; 1.9 -> 1, -0.2 -> 0, 1, 0.4 -> 0, 1.
  CHECK(pr::quantize_inputs(x, 1) == std::vector<std::vector<int>>{{0, 0, 0, 1, 1}, {1, 0, 1, 0, 1}});
  // 16 bits: 0.9 * 65536 = 58982.4 -> 58982.
  CHECK(pr::quantize_inputs(x, 16)[0][3] == 58982);
  CHECK(pr::quantize_inputs(Eigen::MatrixXd(0, 3), 4).empty());

  CHECK_THROWS_AS(pr::quantize_inputs(x, 0), std::invalid_argument);
  CHECK_THROWS_AS(pr::quantize_inputs(x, 17), std::invalid_argument);
  x(1, 1) = std::nan("");
  CHECK_THROWS_AS(pr::quantize_inputs(x, 4), std::invalid_argument);
}
