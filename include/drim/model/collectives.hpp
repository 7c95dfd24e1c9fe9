#pragma once
// Data-parallel training's view of a process group: the few collectives the trainer needs, the
// batch-normalisation and gather steps that must see every rank's rows, and how a global batch is
// shared out. The model library holds only this interface; drim::distributed implements it over
// PyTorch's c10d (Gloo), and tests can implement it in-process.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace drim::model {

/// A group of `size()` processes training one model; this process is `rank()`. Every rank calls
/// every collective in the same order with tensors of the same shape (except all_gather_rows).
/// Failures (a rank gone, a timeout) throw drim::Error naming the rank when it can be found.
class Collectives {
 public:
  virtual ~Collectives() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// Sums `t` over the ranks, in place; every rank ends with the same bytes.
  virtual void all_reduce_sum(torch::Tensor& t) = 0;
  /// Every rank's `t` (same shape everywhere) stacked: [size, ...t.sizes()].
  virtual torch::Tensor all_gather(const torch::Tensor& t) = 0;
  /// Rank `root`'s `t` copied into every rank's `t`.
  virtual void broadcast(torch::Tensor& t, int root) = 0;
  /// Throws unless every rank gives the same `digest` for `what` (e.g. "the training pairs"):
  /// ranks started with different data or options would otherwise train different models.
  virtual void check_same(const std::string& what, const std::string& digest) = 0;
};

/// The process's data-parallel group, set once by a tool after its rendezvous; null (the default)
/// means a single process. The trainer shares every batch over it.
void set_collectives(std::shared_ptr<Collectives> group);
Collectives* collectives();
/// rank() of collectives(), 0 without a group: rank 0 alone logs and writes files.
int process_rank();

/// Rows [first, first + count) of `total` that rank `rank` of `size` takes: contiguous, the
/// first total % size ranks one more.
struct RowShare {
  long first = 0, count = 0;
};
RowShare share_rows(long total, int rank, int size);

/// Where a rank's rows sit in the global batch: dropout masks are drawn for all `global` rows and
/// each rank keeps rows [offset, offset + its rows), so the ranks together apply the masks one
/// process would. `global` < 0: the tensor is the whole batch.
struct BatchSlice {
  long offset = 0, global = -1;
};

/// Dropout with rate `p` of rows `slice` of a global batch (see BatchSlice); identity when `p` is 0
/// or `training` is false. One mask [global, features...] is drawn from LibTorch's generator.
torch::Tensor sliced_dropout(const torch::Tensor& x, double p, bool training, const BatchSlice& slice);

/// Training-mode batch normalisation over the rows of every rank (SyncBatchNorm): the per-channel
/// mean and variance are summed over the group, the running statistics of `bn` are updated with
/// them, and the backward pass sums its two per-channel reductions over the group too. With one
/// rank, the same as BatchNorm2d's training forward and backward.
torch::Tensor sync_batch_norm(const torch::Tensor& x, torch::nn::BatchNorm2dImpl& bn, Collectives& group);

/// Every rank's rows of `x` concatenated in rank order, `counts[r]` rows from rank r (x has
/// counts[rank] rows). Differentiable: the gradient of each rank's rows is summed over the ranks
/// that used them.
torch::Tensor all_gather_rows(const torch::Tensor& x, const std::vector<long>& counts, Collectives& group);

/// Sums every trainable parameter's gradient of `net` over the group, in one flat buffer (a
/// parameter without a gradient counts as zeros); every rank ends with the same sums.
void all_reduce_gradients(torch::nn::Module& net, Collectives& group);

}  // namespace drim::model
