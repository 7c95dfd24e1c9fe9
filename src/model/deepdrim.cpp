#include "drim/model/deepdrim.hpp"

#include <thread>
#include <unordered_map>

#include <omp.h>

#include "drim/error.hpp"

namespace drim::model {

std::string to_string(ModelKind kind) {
  switch (kind) {
    case ModelKind::DeepDrim: return "deepdrim";
    case ModelKind::Cnnc: return "cnnc";
    case ModelKind::Fusion: return "fusion";
    case ModelKind::ImageOnly: return "image-only";
  }
  return "?";
}

ModelKind parse_model_kind(const std::string& name) {
  if (name == "deepdrim") return ModelKind::DeepDrim;
  if (name == "cnnc") return ModelKind::Cnnc;
  if (name == "fusion") return ModelKind::Fusion;
  if (name == "image-only") return ModelKind::ImageOnly;
  throw Error("unknown model kind " + quote(name) + " (expected deepdrim, cnnc, fusion or image-only)");
}

std::string to_string(Norm norm) { return norm == Norm::None ? "none" : norm == Norm::Group ? "group" : "batch"; }

Norm parse_norm(const std::string& name) {
  if (name == "none") return Norm::None;
  if (name == "group") return Norm::Group;
  if (name == "batch") return Norm::Batch;
  throw Error("unknown normalisation " + quote(name) + " (expected none, group or batch)");
}

namespace {
torch::nn::Conv2d conv(int in, int out, bool same) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(same ? 1 : 0));
}
}  // namespace

TowerImpl::TowerImpl(double dropout, Norm norm, int in_channels) {
  if (in_channels < 1) throw Error("a tower needs at least one input channel, got " + quote(std::to_string(in_channels)));
  conv1a = register_module("conv1a", conv(in_channels, 32, true));
  conv1b = register_module("conv1b", conv(32, 32, false));
  conv2a = register_module("conv2a", conv(32, 64, true));
  conv2b = register_module("conv2b", conv(64, 64, false));
  conv3a = register_module("conv3a", conv(64, 128, true));
  conv3b = register_module("conv3b", conv(128, 128, false));
  embed = register_module("embed", torch::nn::Linear(128 * 2 * 2, 512));
  drop = register_module("drop", torch::nn::Dropout(dropout));
  if (norm == Norm::None) return;
  if (norm == Norm::Batch)
    for (auto* c : {&conv1a, &conv1b, &conv2a, &conv2b, &conv3a, &conv3b}) (*c)->bias.set_requires_grad(false);
  const char* names[] = {"norm1a", "norm1b", "norm2a", "norm2b", "norm3a", "norm3b"};
  const int channels[] = {32, 32, 64, 64, 128, 128};
  for (int i = 0; i < 6; ++i) {
    torch::nn::AnyModule m;
    if (norm == Norm::Group) m = torch::nn::AnyModule(register_module(names[i], torch::nn::GroupNorm(8, channels[i])));
    else m = torch::nn::AnyModule(register_module(names[i], torch::nn::BatchNorm2d(channels[i])));
    norms.push_back(std::move(m));
  }
}

torch::Tensor TowerImpl::forward(torch::Tensor x) {
  torch::nn::Conv2d* convs[] = {&conv1a, &conv1b, &conv2a, &conv2b, &conv3a, &conv3b};
  for (int block = 0; block < 3; ++block) {
    for (int j = 0; j < 2; ++j) {
      const int i = 2 * block + j;
      x = (*convs[i])(x);
      // oneDNN's CPU convolutions, batch norm and pooling run faster in NHWC than in NCHW (float64,
      // --precision fp64, has no oneDNN kernels and gains nothing from it).
      if (i == 0 && x.is_cpu() && x.scalar_type() != torch::kFloat64) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
      if (!norms.empty()) {
        auto* bn = sync && is_training() ? norms[i].ptr()->as<torch::nn::BatchNorm2d>() : nullptr;
        x = bn ? sync_batch_norm(x, *bn, *sync) : norms[i].forward(x);
      }
      if (j == 0) x = torch::relu_(x);
    }
    // relu(max_pool(x)) = max_pool(relu(x)), values and gradients, on a quarter of the elements
    x = torch::max_pool2d(x, 2);
    x = drop(x.relu_());  // 32 x 15 x 15, 64 x 6 x 6, 128 x 2 x 2
  }
  return embed(x.flatten(1));  // linear 512
}

namespace {
/// Distinct values of `genes`: the position of each one's first occurrence, and each entry's slot.
void group_genes(const std::vector<int>& genes, std::vector<long>& first, std::vector<long>& slot_of) {
  std::unordered_map<int, long> slot;
  for (std::size_t i = 0; i < genes.size(); ++i) {
    auto [it, fresh] = slot.emplace(genes[i], static_cast<long>(first.size()));
    if (fresh) first.push_back(static_cast<long>(i));
    slot_of.push_back(it->second);
  }
}

torch::Tensor longs(const std::vector<long>& v, torch::Device device) { return torch::tensor(v, torch::kLong).to(device); }
}  // namespace

SharedGenes share_genes(const std::vector<int>& tf, const std::vector<int>& target, torch::Device device) {
  std::vector<long> tf_rep, tf_inv, target_rep, target_inv;
  group_genes(tf, tf_rep, tf_inv);
  group_genes(target, target_rep, target_inv);
  SharedGenes s;
  s.tf_rep = longs(tf_rep, device);
  s.tf_inv = longs(tf_inv, device);
  s.target_rep = longs(target_rep, device);
  s.target_inv = longs(target_inv, device);
  return s;
}

SharedGenes share_genes(const std::vector<int>& tf, const std::vector<int>& target, torch::Device device, int rank, int size) {
  std::vector<long> tf_rep, tf_inv, target_rep, target_inv;
  group_genes(tf, tf_rep, tf_inv);
  group_genes(target, target_rep, target_inv);
  const long ut = static_cast<long>(tf_rep.size()), items = ut + static_cast<long>(target_rep.size());
  const RowShare pairs = share_rows(static_cast<long>(tf.size()), rank, size), mine = share_rows(items, rank, size);
  SharedGenes s;
  std::unordered_map<long, long> local;  // batch position -> row of the rank's images
  auto row_of = [&](long position) {
    auto [it, fresh] = local.emplace(position, static_cast<long>(s.rows.size()));
    if (fresh) s.rows.push_back(position);
    return it->second;
  };
  std::vector<long> pair_rows, tf_inv_mine, target_inv_mine;
  for (long i = pairs.first; i < pairs.first + pairs.count; ++i) {
    pair_rows.push_back(row_of(i));
    tf_inv_mine.push_back(tf_inv[i]);
    target_inv_mine.push_back(target_inv[i]);
  }
  for (long item = mine.first; item < mine.first + mine.count; ++item) {
    if (item < ut) tf_rep[item] = row_of(tf_rep[item]);
    else target_rep[item - ut] = row_of(target_rep[item - ut]);
  }
  s.tf_rep = longs(tf_rep, device);
  s.target_rep = longs(target_rep, device);
  s.tf_inv = longs(tf_inv_mine, device);
  s.target_inv = longs(target_inv_mine, device);
  s.pair_rows = longs(pair_rows, device);
  s.item_first = mine.first;
  for (int r = 0; r < size; ++r) s.item_counts.push_back(share_rows(items, r, size).count);
  return s;
}

DeepDrimImpl::DeepDrimImpl(const DeepDrimOptions& o) : opts(o) {
  if (has_neighbors() && o.neighbors < 0)
    throw Error("DeepDRIM needs 0 or more neighbours, got " + quote(std::to_string(o.neighbors)));
  const int gene_channels = 2 * o.gene_image_channels;
  if (uses_gene_images() && o.gene_image_channels < 1)
    throw Error("a " + to_string(o.kind) + " model needs gene images of 1 or more channels, got " + quote(std::to_string(o.gene_image_channels)));
  if (!uses_gene_images() && o.gene_image_channels != 0)
    throw Error("a " + to_string(o.kind) + " model takes no gene images, given " + quote(std::to_string(o.gene_image_channels)) + " channel(s)");
  if (o.primary_images != 1 && (o.primary_images != 2 || o.kind == ModelKind::ImageOnly))
    throw Error("a " + to_string(o.kind) + " model takes " + (o.kind == ModelKind::ImageOnly ? "no expression image" : "1 or 2 primary images") +
                ", given " + quote(std::to_string(o.primary_images)));
  tower_a = register_module("tower_a", Tower(o.tower_dropout, o.norm, o.kind == ModelKind::ImageOnly ? gene_channels : o.primary_images));
  drop = register_module("drop", torch::nn::Dropout(o.head_dropout));
  if (o.kind == ModelKind::Fusion) tower_i = register_module("tower_i", Tower(o.tower_dropout, o.norm, gene_channels));
  if (o.late_fusion && o.kind != ModelKind::Fusion)
    throw Error("late fusion joins an image branch to DeepDRIM; a " + quote(to_string(o.kind)) + " model has none to join");
  if (o.late_fusion && o.prior_features > 0)
    throw Error("late fusion takes no prior (its image branch's logit is outside the layer the prior joins); use early fusion with --prior");
  if (uses_gene_images() && o.missing_image_embedding) missing_image = register_parameter("missing_image", torch::zeros({512}));
  std::vector<torch::nn::Linear> relu_dense;
  if (has_neighbors()) {
    tower_b = register_module("tower_b", Tower(o.tower_dropout, o.norm));
    const bool early = o.kind == ModelKind::Fusion && !o.late_fusion;
    fc1 = register_module("fc1", torch::nn::Linear(512 * (2 * o.neighbors + 3 + (early ? 1 : 0)), 512));
    fc2 = register_module("fc2", torch::nn::Linear(512, 128));
    out = register_module("out", torch::nn::Linear(128 + o.prior_features, 1));
    relu_dense = {fc1, fc2};
    if (o.aux_head) {
      aux_fc1 = register_module("aux_fc1", torch::nn::Linear(512, 512));
      aux_out = register_module("aux_out", torch::nn::Linear(512, 1));
      relu_dense.push_back(aux_fc1);
    }
    if (o.late_fusion) {
      image_fc1 = register_module("image_fc1", torch::nn::Linear(512, 512));
      image_out = register_module("image_out", torch::nn::Linear(512, 1));
      relu_dense.push_back(image_fc1);
    }
  } else {
    fc1 = register_module("fc1", torch::nn::Linear(512, 512));
    out = register_module("out", torch::nn::Linear(512 + o.prior_features, 1));
    relu_dense = {fc1};
  }
  keras_init(*this);
  if (o.he_init) {
    he_init(*this, relu_dense);
    zero_output_layers(*this);
  }
}

int DeepDrimImpl::expression_images() const {
  if (has_neighbors()) return 2 * opts.neighbors + 2 + opts.primary_images;
  return opts.kind == ModelKind::Cnnc ? opts.primary_images : 0;
}

int DeepDrimImpl::images_per_pair() const { return expression_images() + 2 * opts.gene_image_channels; }

torch::Tensor DeepDrimImpl::with_missing_images(const torch::Tensor& gene_images, torch::Tensor embedding) const {
  if (!missing_image.defined()) return embedding;
  const long c = opts.gene_image_channels;
  auto blank = [&](long first) { return gene_images.narrow(1, first, c).abs().flatten(1).amax(1) == 0; };
  const torch::Tensor missing = torch::logical_or(blank(0), blank(c)).unsqueeze(1);
  return torch::where(missing, missing_image.to(embedding.dtype()).expand_as(embedding), embedding);
}

torch::Tensor DeepDrimImpl::dropout(const torch::Tensor& x) const {
  return sliced_dropout(x, opts.head_dropout, is_training(), slice_);
}

void DeepDrimImpl::set_sync(Collectives* group) {
  tower_a->sync = group;
  if (tower_b) tower_b->sync = group;
}

torch::Tensor DeepDrimImpl::head_from_hidden(torch::Tensor h, const torch::Tensor& prior) {
  h = dropout(torch::relu(h));
  if (has_neighbors()) h = dropout(torch::relu(fc2(h)));
  if (opts.prior_features > 0) {
    if (!prior.defined() || prior.dim() != 2 || prior.size(0) != h.size(0) || prior.size(1) != opts.prior_features)
      throw Error("this model takes " + std::to_string(opts.prior_features) + " prior feature(s) per pair, given " +
                  (prior.defined() ? "a tensor of shape " + quote(c10::str(prior.sizes())) : std::string("none")));
    h = torch::cat({h, prior.to(h.dtype())}, 1);
  }
  return out(h).squeeze(1);
}

torch::Tensor DeepDrimImpl::head_from_embeddings(const torch::Tensor& a, const torch::Tensor& nb, const torch::Tensor& prior) {
  if (!has_neighbors()) return head_from_hidden(fc1(a), prior);
  return head_from_hidden(fc1(dropout(torch::cat({a, nb}, 1))), prior);
}

torch::Tensor DeepDrimImpl::image_logit(const torch::Tensor& embedding) {
  return image_out(dropout(torch::relu(image_fc1(embedding)))).squeeze(1);
}

torch::Tensor DeepDrimImpl::prior_input(const std::vector<int>& tf, const std::vector<int>& target) const {
  if (opts.prior_features == 0) return {};
  const auto f = in_degree.features(tf, target);
  return torch::tensor(f, torch::kFloat32).reshape({static_cast<long>(f.size()), 1}).to(fc1->weight.device(), fc1->weight.scalar_type());
}

torch::Tensor DeepDrimImpl::forward(torch::Tensor images, const torch::Tensor& prior) { return forward_train(images, nullptr, prior, {}).first; }

std::pair<torch::Tensor, torch::Tensor> DeepDrimImpl::forward_train(torch::Tensor images, const SharedGenes* shared, const torch::Tensor& prior,
                                                                    const BatchSlice& slice) {
  slice_ = slice;
  // Images are built in float32; a model trained in float64 (--precision fp64) takes them so.
  if (fc1->weight.scalar_type() == torch::kFloat64) images = images.to(torch::kFloat64);
  torch::Tensor pairs = shared && shared->pair_rows.defined() ? images.index_select(0, shared->pair_rows) : images;
  const auto B = pairs.size(0);
  if (opts.kind == ModelKind::ImageOnly) return {head_from_embeddings(with_missing_images(pairs, tower_a(pairs)), {}, prior), {}};
  const long p = opts.primary_images;
  torch::Tensor a = tower_a(pairs.narrow(1, 0, p));
  torch::Tensor aux;
  if (aux_fc1) aux = aux_out(dropout(torch::relu(aux_fc1(a)))).squeeze(1);
  if (opts.kind == ModelKind::Cnnc) return {head_from_embeddings(a, {}, prior), aux};
  const int k = expression_images() - p, n = opts.neighbors;  // neighbour images, after the primary ones
  torch::Tensor nb;
  if (!shared) {
    nb = tower_b(images.narrow(1, p, k).reshape({B * k, 1, 32, 32})).reshape({B, k * 512});
  } else {
    // Side channels in the reference order (p = 1): TF side 1, 3..n+2; target side 2, n+3..2n+2.
    std::vector<long> tf_ch{p}, target_ch{p + 1};
    for (int j = 0; j < n; ++j) {
      tf_ch.push_back(p + 2 + j);
      target_ch.push_back(p + 2 + n + j);
    }
    const long ut = shared->tf_rep.numel(), items = ut + shared->target_rep.numel();
    const bool split = !shared->item_counts.empty();
    const long first = split ? shared->item_first : 0, count = split ? shared->item_counts.at(tower_b->sync ? tower_b->sync->rank() : 0) : items;
    auto side = [&](const torch::Tensor& rep, long from, long to, const std::vector<long>& ch) {
      torch::Tensor idx = torch::tensor(ch, torch::kLong).to(images.device());
      return images.index_select(0, rep.narrow(0, from, to - from)).index_select(1, idx);  // [U, n + 1, 32, 32]
    };
    // This process's items, TF sides then target sides, through tower B in one pass.
    torch::Tensor imgs = torch::cat({side(shared->tf_rep, std::min(first, ut), std::min(first + count, ut), tf_ch),
                                     side(shared->target_rep, std::max(first, ut) - ut, std::max(first + count, ut) - ut, target_ch)});
    torch::Tensor emb = tower_b(imgs.reshape({count * (n + 1), 1, 32, 32})).reshape({count, n + 1, 512});
    if (split && tower_b->sync) emb = all_gather_rows(emb, shared->item_counts, *tower_b->sync);
    torch::Tensor t = emb.index_select(0, shared->tf_inv), g = emb.index_select(0, shared->target_inv + ut);
    nb = torch::cat({t.narrow(1, 0, 1), g.narrow(1, 0, 1), t.narrow(1, 1, n), g.narrow(1, 1, n)}, 1).reshape({B, k * 512});
  }
  if (!tower_i) return {head_from_embeddings(a, nb, prior), aux};
  const torch::Tensor maps = pairs.narrow(1, k + p, 2 * opts.gene_image_channels);
  const torch::Tensor image = with_missing_images(maps, tower_i(maps));
  if (!opts.late_fusion) return {head_from_embeddings(a, torch::cat({nb, image}, 1), prior), aux};
  const torch::Tensor drim = head_from_embeddings(a, nb, prior), branch = image_logit(image);
  if (aux.defined()) aux = torch::stack({aux, drim, branch}, 1);
  return {drim + branch, aux};
}

void keras_init(torch::nn::Module& module) {
  torch::NoGradGuard guard;
  for (auto& m : module.modules(/*include_self=*/false)) {
    if (auto* c = m->as<torch::nn::Conv2d>()) {
      torch::nn::init::xavier_uniform_(c->weight);
      torch::nn::init::zeros_(c->bias);
    } else if (auto* l = m->as<torch::nn::Linear>()) {
      torch::nn::init::xavier_uniform_(l->weight);
      torch::nn::init::zeros_(l->bias);
    }
  }
}

void he_init(torch::nn::Module& module, const std::vector<torch::nn::Linear>& relu_dense) {
  torch::NoGradGuard guard;
  for (auto& m : module.modules(/*include_self=*/false))
    if (auto* c = m->as<torch::nn::Conv2d>()) {
      torch::nn::init::kaiming_uniform_(c->weight, 0.0, torch::kFanIn, torch::kReLU);
      torch::nn::init::zeros_(c->bias);
    }
  for (const auto& l : relu_dense) {
    torch::nn::init::kaiming_uniform_(l->weight, 0.0, torch::kFanIn, torch::kReLU);
    torch::nn::init::zeros_(l->bias);
  }
}

void zero_output_layers(DeepDrimImpl& net) {
  torch::NoGradGuard guard;
  for (auto* l : {&net.out, &net.aux_out, &net.image_out})
    if (*l) torch::nn::init::zeros_((*l)->weight);
}

std::int64_t parameter_count(const torch::nn::Module& module) {
  std::int64_t n = 0;
  for (const auto& p : module.parameters()) n += p.numel();
  return n;
}

void configure_threads(int threads) {
  const int n = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(n);
  omp_set_num_threads(n);
}

namespace {
// cuDNN convolutions default to TF32 on Ampere and later GPUs (10-bit mantissa): scores would then
// differ from the CPU's by ~1e-3. drim keeps plain fp32 so that a model scores the same everywhere.
void use_exact_fp32_on_cuda() {
  at::globalContext().setAllowTF32CuDNN(false);
  at::globalContext().setAllowTF32CuBLAS(false);
}
}  // namespace

torch::Device resolve_device(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  if (name != "cuda" && name != "auto") throw Error("unknown device " + quote(name) + " (expected auto, cpu or cuda)");
  if (!torch::cuda::is_available()) {
    if (name == "auto") return torch::kCPU;
    throw Error("--device cuda asked for, but no CUDA device is available to this LibTorch build (Debian's is CPU-only; see README)");
  }
  use_exact_fp32_on_cuda();
  return torch::kCUDA;
}

}  // namespace drim::model
