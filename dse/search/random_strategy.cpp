// SPDX-License-Identifier: Apache-2.0
// "random": uniformly random distinct canonical designs.
#include "dse/search/design_ledger.h"
#include "dse/search/strategies.h"

namespace pesim::dse {
namespace {

class RandomStrategy : public LedgerStrategy {
 public:
  RandomStrategy(const DesignSpace& space, const StrategyOptions& options)
      : LedgerStrategy(space, options), m_random(derived_seed(options.seed, 0)) {}

  std::string name() const override { return "random"; }

  std::vector<Design> ask(size_t count) override {
    std::vector<Design> designs;
    m_ledger.draw_until(m_random, designs, count);  // fewer once every canonical design is proposed or told
    return designs;
  }

 private:
  SeededRandom m_random;
};

}  // namespace

std::unique_ptr<Strategy> make_random_strategy(const DesignSpace& space, const StrategyOptions& options) {
  return std::make_unique<RandomStrategy>(space, options);
}

}  // namespace pesim::dse
