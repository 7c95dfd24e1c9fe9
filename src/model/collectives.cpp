#include "drim/model/collectives.hpp"

#include <algorithm>

#include "drim/error.hpp"

namespace drim::model {
namespace {

std::shared_ptr<Collectives>& group_slot() {
  static std::shared_ptr<Collectives> g;
  return g;
}

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

/// Batch normalisation whose statistics and backward reductions are summed over the group.
struct SyncBatchNormFn : torch::autograd::Function<SyncBatchNormFn> {
  static torch::Tensor forward(AutogradContext* ctx, torch::Tensor x, torch::Tensor weight, torch::Tensor bias,
                               torch::nn::BatchNorm2dImpl* bn, Collectives* group) {
    const long channels = x.size(1);
    const std::vector<long> dims = {0, 2, 3};
    torch::Tensor stats = torch::cat({x.sum(dims).to(torch::kDouble), torch::full({1}, static_cast<double>(x.numel() / channels),
                                                                                  x.options().dtype(torch::kDouble))});
    group->all_reduce_sum(stats);
    const double n = stats[channels].item<double>();
    torch::Tensor mean = (stats.narrow(0, 0, channels) / n).to(x.scalar_type());
    torch::Tensor centred = x - mean.view({1, channels, 1, 1});
    torch::Tensor sq = centred.pow(2).sum(dims).to(torch::kDouble);
    group->all_reduce_sum(sq);
    torch::Tensor var = sq / n;
    const double eps = bn->options.eps(), momentum = bn->options.momentum().value_or(0.1);
    torch::Tensor invstd = (var + eps).rsqrt().to(x.scalar_type());
    torch::Tensor xhat = centred * invstd.view({1, channels, 1, 1});
    {
      torch::NoGradGuard no_grad;
      bn->running_mean.mul_(1.0 - momentum).add_(mean, momentum);
      bn->running_var.mul_(1.0 - momentum).add_((var * (n / std::max(n - 1.0, 1.0))).to(x.scalar_type()), momentum);
      bn->num_batches_tracked.add_(1);
    }
    ctx->save_for_backward({xhat, weight, invstd});
    ctx->saved_data["n"] = n;
    ctx->saved_data["group"] = reinterpret_cast<std::int64_t>(group);
    return xhat * weight.view({1, channels, 1, 1}) + bias.view({1, channels, 1, 1});
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad) {
    auto saved = ctx->get_saved_variables();
    const torch::Tensor &xhat = saved[0], &weight = saved[1], &invstd = saved[2];
    const double n = ctx->saved_data["n"].toDouble();
    auto* group = reinterpret_cast<Collectives*>(ctx->saved_data["group"].toInt());
    const torch::Tensor& dy = grad[0];
    const long channels = dy.size(1);
    const std::vector<long> dims = {0, 2, 3};
    torch::Tensor sum_dy = dy.sum(dims), sum_dy_xhat = (dy * xhat).sum(dims);
    torch::Tensor both = torch::cat({sum_dy, sum_dy_xhat}).to(torch::kDouble);
    group->all_reduce_sum(both);
    torch::Tensor mean_dy = (both.narrow(0, 0, channels) / n).to(dy.scalar_type()).view({1, channels, 1, 1});
    torch::Tensor mean_dy_xhat = (both.narrow(0, channels, channels) / n).to(dy.scalar_type()).view({1, channels, 1, 1});
    torch::Tensor dx = (weight * invstd).view({1, channels, 1, 1}) * (dy - mean_dy - xhat * mean_dy_xhat);
    return {dx, sum_dy_xhat, sum_dy, torch::Tensor(), torch::Tensor()};
  }
};

/// Rows of every rank concatenated; the backward pass sums each row's gradient over the ranks.
struct AllGatherRowsFn : torch::autograd::Function<AllGatherRowsFn> {
  static torch::Tensor forward(AutogradContext* ctx, torch::Tensor x, std::vector<long> counts, Collectives* group) {
    const long most = *std::max_element(counts.begin(), counts.end());
    std::vector<long> padded_shape = x.sizes().vec();
    padded_shape[0] = most;
    torch::Tensor padded = torch::zeros(padded_shape, x.options());
    padded.narrow(0, 0, x.size(0)).copy_(x);
    torch::Tensor all = group->all_gather(padded);  // [size, most, ...]
    std::vector<torch::Tensor> parts;
    long offset = 0;
    for (std::size_t r = 0; r < counts.size(); ++r) {
      parts.push_back(all[static_cast<long>(r)].narrow(0, 0, counts[r]));
      if (static_cast<int>(r) < group->rank()) offset += counts[r];
    }
    ctx->saved_data["offset"] = offset;
    ctx->saved_data["rows"] = x.size(0);
    ctx->saved_data["group"] = reinterpret_cast<std::int64_t>(group);
    return torch::cat(parts, 0);
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad) {
    auto* group = reinterpret_cast<Collectives*>(ctx->saved_data["group"].toInt());
    torch::Tensor g = grad[0].contiguous().clone();
    group->all_reduce_sum(g);
    return {g.narrow(0, ctx->saved_data["offset"].toInt(), ctx->saved_data["rows"].toInt()), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

void set_collectives(std::shared_ptr<Collectives> group) { group_slot() = std::move(group); }
Collectives* collectives() { return group_slot().get(); }
int process_rank() { return group_slot() ? group_slot()->rank() : 0; }

RowShare share_rows(long total, int rank, int size) {
  if (size < 1 || rank < 0 || rank >= size)
    throw Error("rank " + quote(std::to_string(rank)) + " is outside a group of " + std::to_string(size));
  const long base = total / size, extra = total % size;
  return {rank * base + std::min<long>(rank, extra), base + (rank < extra ? 1 : 0)};
}

torch::Tensor sliced_dropout(const torch::Tensor& x, double p, bool training, const BatchSlice& slice) {
  if (!training || p <= 0.0) return x;
  std::vector<long> shape = x.sizes().vec();
  const long rows = shape[0];
  if (slice.global >= 0) shape[0] = slice.global;
  torch::Tensor mask = torch::empty(shape, x.options()).bernoulli_(1.0 - p).narrow(0, slice.global >= 0 ? slice.offset : 0, rows);
  return x * mask / (1.0 - p);
}

torch::Tensor sync_batch_norm(const torch::Tensor& x, torch::nn::BatchNorm2dImpl& bn, Collectives& group) {
  return SyncBatchNormFn::apply(x, bn.weight, bn.bias, &bn, &group);
}

torch::Tensor all_gather_rows(const torch::Tensor& x, const std::vector<long>& counts, Collectives& group) {
  if (static_cast<int>(counts.size()) != group.size() || counts[group.rank()] != x.size(0))
    throw Error("all_gather_rows: " + std::to_string(x.size(0)) + " rows on rank " + std::to_string(group.rank()) +
                " do not match the counts given");
  return AllGatherRowsFn::apply(x, counts, &group);
}

void all_reduce_gradients(torch::nn::Module& net, Collectives& group) {
  std::vector<torch::Tensor> grads;
  for (auto& p : net.parameters()) {
    if (!p.requires_grad()) continue;
    if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
    grads.push_back(p.grad());
  }
  torch::Tensor flat = torch::cat([&] {
    std::vector<torch::Tensor> v;
    for (auto& g : grads) v.push_back(g.reshape({-1}));
    return v;
  }());
  group.all_reduce_sum(flat);
  long offset = 0;
  for (auto& g : grads) {
    g.copy_(flat.narrow(0, offset, g.numel()).view_as(g));
    offset += g.numel();
  }
}

}  // namespace drim::model
