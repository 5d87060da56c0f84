// SPDX-License-Identifier: Apache-2.0
// "random": uniformly random distinct canonical designs.
#include "dse/search/design_ledger.h"
#include "dse/search/strategies.h"

namespace pesim::dse {
namespace {

class RandomStrategy : public Strategy {
 public:
  RandomStrategy(const DesignSpace& space, const StrategyOptions& options)
      : m_space(space), m_options(options), m_random(derived_seed(options.seed, 0)), m_ledger(m_space) {}

  std::string name() const override { return "random"; }

  std::vector<Design> ask(size_t count) override {
    std::vector<Design> designs;
    while (designs.size() < count) {
      std::optional<Design> design = m_ledger.draw(m_random);
      if (!design) break;  // every canonical design is proposed or told
      designs.push_back(std::move(*design));
    }
    return designs;
  }

  void tell(const std::vector<Observation>& observations) override {
    for (const Observation& observation : observations) {
      check_observation(m_space, m_options, observation);
      m_ledger.record(observation.design);
    }
  }

 private:
  DesignSpace m_space;
  StrategyOptions m_options;
  SeededRandom m_random;
  DesignLedger m_ledger;  // refers to m_space
};

}  // namespace

std::unique_ptr<Strategy> make_random_strategy(const DesignSpace& space, const StrategyOptions& options) {
  return std::make_unique<RandomStrategy>(space, options);
}

}  // namespace pesim::dse
