// Data-parallel training's parts: where a group comes from (options, torchrun, Slurm), how a
// batch is shared out, and the collectives-aware layers on a real two-rank Gloo group inside one
// process (two threads) against the single-process layers on the whole batch.
#include <map>
#include <numeric>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "drim/distributed/dist_options.hpp"
#include "drim/distributed/gloo_collectives.hpp"
#include "drim/error.hpp"
#include "drim/model/collectives.hpp"
#include "drim/model/deepdrim.hpp"

namespace drim {
namespace {

using distributed::DistOptions;
using distributed::resolve_dist;

distributed::EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

TEST(DistOptions, ExplicitTorchrunAndSlurm) {
  DistOptions o;
  EXPECT_FALSE(resolve_dist(o, env_of({})).has_value());  // nothing set: one process
  o.url = "tcp://node7:29500";
  o.rank = 1;
  o.world_size = 4;
  auto s = resolve_dist(o, env_of({{"WORLD_SIZE", "8"}, {"RANK", "5"}}));  // options win over the environment
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->host, "node7");
  EXPECT_EQ(s->port, 29500);
  EXPECT_EQ(s->rank, 1);
  EXPECT_EQ(s->world_size, 4);
  EXPECT_EQ(s->source, "--dist-url");

  s = resolve_dist({}, env_of({{"WORLD_SIZE", "2"}, {"RANK", "1"}, {"LOCAL_RANK", "1"}, {"MASTER_ADDR", "10.0.0.1"}, {"MASTER_PORT", "1234"}}));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->source, "torchrun");
  EXPECT_EQ(s->rank, 1);
  EXPECT_EQ(s->local_rank, 1);
  EXPECT_EQ(s->host, "10.0.0.1");
  EXPECT_EQ(s->port, 1234);

  s = resolve_dist({}, env_of({{"SLURM_NTASKS", "3"}, {"SLURM_STEP_NUM_TASKS", "3"}, {"SLURM_PROCID", "2"}, {"SLURM_LOCALID", "0"}, {"MASTER_ADDR", "n1"}, {"MASTER_PORT", "29400"}}));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->source, "slurm");
  EXPECT_EQ(s->rank, 2);
  EXPECT_EQ(s->world_size, 3);

  EXPECT_FALSE(resolve_dist({}, env_of({{"SLURM_STEP_NUM_TASKS", "1"}, {"SLURM_PROCID", "0"}})).has_value());  // one task
  // A batch script of a 4-task job running drim-train itself, not through srun: one process.
  EXPECT_FALSE(resolve_dist({}, env_of({{"SLURM_NTASKS", "4"}, {"SLURM_PROCID", "0"}})).has_value());
  EXPECT_FALSE(resolve_dist({}, env_of({{"WORLD_SIZE", "1"}})).has_value());
}

TEST(DistOptions, BadValuesNameWhatIsWrong) {
  auto message = [](const DistOptions& o, const distributed::EnvLookup& env) {
    try {
      resolve_dist(o, env);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  DistOptions partial;
  partial.url = "tcp://h:1";
  EXPECT_NE(message(partial, env_of({})).find("go together"), std::string::npos);
  DistOptions bad_url{"h:1", 0, 2, 60};
  EXPECT_NE(message(bad_url, env_of({})).find("tcp://host:port"), std::string::npos);
  DistOptions bad_rank{"tcp://h:1", 2, 2, 60};
  EXPECT_NE(message(bad_rank, env_of({})).find("rank 2 is outside"), std::string::npos);
  EXPECT_NE(message({}, env_of({{"SLURM_STEP_NUM_TASKS", "4"}, {"SLURM_PROCID", "0"}})).find("MASTER_ADDR is not set"), std::string::npos);
  EXPECT_NE(message({}, env_of({{"WORLD_SIZE", "2"}, {"RANK", "0"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "http"}})).find("MASTER_PORT"),
            std::string::npos);
}

TEST(ShareRows, EveryRowOnceInRankOrder) {
  for (long total : {0L, 1L, 5L, 32L, 33L})
    for (int size : {1, 2, 3, 7}) {
      long next = 0;
      for (int r = 0; r < size; ++r) {
        auto s = model::share_rows(total, r, size);
        EXPECT_EQ(s.first, next);
        EXPECT_LE(s.count, total / size + 1);
        next += s.count;
      }
      EXPECT_EQ(next, total);
    }
}

TEST(ShareGenes, RanksTogetherCoverTheBatchAndItsGenes) {
  std::vector<int> tf = {4, 4, 7, 4, 9, 7, 1}, target = {1, 2, 1, 1, 3, 8, 2};
  auto whole = model::share_genes(tf, target, torch::kCPU);
  const long items = whole.tf_rep.numel() + whole.target_rep.numel();
  for (int size : {2, 3}) {
    long pairs = 0, embedded = 0;
    for (int r = 0; r < size; ++r) {
      auto s = model::share_genes(tf, target, torch::kCPU, r, size);
      ASSERT_EQ(static_cast<int>(s.item_counts.size()), size);
      EXPECT_EQ(s.item_first, embedded);
      embedded += s.item_counts[r];
      // The rank's pairs: the same TF and target items as in the whole batch.
      auto share = model::share_rows(static_cast<long>(tf.size()), r, size);
      ASSERT_EQ(s.pair_rows.numel(), share.count);
      for (long i = 0; i < share.count; ++i) {
        EXPECT_EQ(s.rows[s.pair_rows[i].item<long>()], share.first + i);
        EXPECT_EQ(s.tf_inv[i].item<long>(), whole.tf_inv[share.first + i].item<long>());
        EXPECT_EQ(s.target_inv[i].item<long>(), whole.target_inv[share.first + i].item<long>());
      }
      pairs += share.count;
    }
    EXPECT_EQ(pairs, static_cast<long>(tf.size()));
    EXPECT_EQ(embedded, items);
  }
}

int free_port() {
  std::mt19937 g(static_cast<unsigned>(std::random_device{}()));
  return 20000 + static_cast<int>(g() % 20000);
}

/// Runs `body(group)` on two ranks of a Gloo group over 127.0.0.1, one thread each.
void on_two_ranks(const std::function<void(model::Collectives&)>& body) {
  const int port = free_port();
  std::vector<std::thread> threads;
  std::vector<std::string> errors(2);
  for (int r = 0; r < 2; ++r)
    threads.emplace_back([&, r] {
      try {
        distributed::DistSetup s{"127.0.0.1", port, r, 2, 0, 30, "test"};
        auto group = distributed::connect(s);
        body(*group);
      } catch (const std::exception& e) {
        errors[r] = e.what();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
}

TEST(SyncBatchNorm, TwoRanksGiveTheWholeBatchsOutputsGradientsAndStatistics) {
  torch::manual_seed(3);
  torch::Tensor x = torch::randn({6, 4, 5, 5}) * 3 + 1, dy = torch::randn({6, 4, 5, 5});
  torch::nn::BatchNorm2d whole(4);
  {
    torch::NoGradGuard g;
    whole->weight.uniform_(0.5, 1.5);
    whole->bias.uniform_(-1, 1);
  }
  torch::Tensor xw = x.clone().requires_grad_(true);
  whole->train();
  torch::Tensor yw = whole(xw);
  yw.backward(dy);
  std::vector<torch::Tensor> y(2), dx(2), dw(2), db(2), running_mean(2), running_var(2);
  on_two_ranks([&](model::Collectives& group) {
    const int r = group.rank();
    torch::nn::BatchNorm2d bn(4);
    {
      torch::NoGradGuard g;
      bn->weight.copy_(whole->weight);
      bn->bias.copy_(whole->bias);
    }
    auto share = model::share_rows(6, r, 2);
    torch::Tensor xr = x.narrow(0, share.first, share.count).clone().requires_grad_(true);
    y[r] = model::sync_batch_norm(xr, *bn, group);
    y[r].backward(dy.narrow(0, share.first, share.count));
    dx[r] = xr.grad();
    dw[r] = bn->weight.grad().clone();
    db[r] = bn->bias.grad().clone();
    group.all_reduce_sum(dw[r]);  // parameter gradients are summed by the trainer
    group.all_reduce_sum(db[r]);
    running_mean[r] = bn->running_mean.clone();
    running_var[r] = bn->running_var.clone();
  });
  EXPECT_TRUE(torch::allclose(torch::cat({y[0], y[1]}), yw, 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(torch::cat({dx[0], dx[1]}), xw.grad(), 1e-5, 1e-5));
  for (int r = 0; r < 2; ++r) {
    EXPECT_TRUE(torch::allclose(dw[r], whole->weight.grad(), 1e-5, 1e-5));
    EXPECT_TRUE(torch::allclose(db[r], whole->bias.grad(), 1e-5, 1e-5));
    EXPECT_TRUE(torch::allclose(running_mean[r], whole->running_mean, 1e-6, 1e-6));
    EXPECT_TRUE(torch::allclose(running_var[r], whole->running_var, 1e-5, 1e-5));
  }
}

TEST(AllGatherRows, ConcatenatesAndSumsGradientsBack) {
  std::vector<torch::Tensor> out(2), grad(2);
  on_two_ranks([&](model::Collectives& group) {
    const int r = group.rank();
    const std::vector<long> counts = {3, 1};
    torch::Tensor x = torch::full({counts[r], 2}, static_cast<float>(r + 1)).requires_grad_(true);
    torch::Tensor all = model::all_gather_rows(x, counts, group);
    out[r] = all.detach().clone();
    // Rank r weighs every gathered row by (r + 1): each row's gradient is the sum, 3.
    (all * static_cast<float>(r + 1)).sum().backward();
    grad[r] = x.grad().clone();
  });
  const torch::Tensor expected = torch::tensor({1.f, 1.f, 1.f, 1.f, 1.f, 1.f, 2.f, 2.f}).reshape({4, 2});
  for (int r = 0; r < 2; ++r) {
    EXPECT_TRUE(torch::equal(out[r], expected));
    EXPECT_TRUE(torch::allclose(grad[r], torch::full_like(grad[r], 3.0)));
  }
}

TEST(Collectives, DifferentDigestsAreAClearError) {
  std::vector<std::string> said(2);
  on_two_ranks([&](model::Collectives& group) {
    try {
      group.check_same("training pairs", group.rank() == 0 ? "aaaa" : "bbbb");
    } catch (const Error& e) {
      said[group.rank()] = e.what();
    }
  });
  for (const auto& s : said) EXPECT_NE(s.find("differ from rank"), std::string::npos) << s;
}

}  // namespace
}  // namespace drim
