#pragma once
// The DeepDRIM network (Chen et al. 2021) and its CNNC baseline in LibTorch.
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "drim/in_degree_prior.hpp"
#include "drim/model/collectives.hpp"

namespace drim::model {

/// Which network: full DeepDRIM (primary + neighbour images), CNNC (primary image only), fusion
/// (DeepDRIM plus an image branch on the two genes' images, SDINet's arrangement) or image-only
/// (the image branch alone, CNNC's shape on the gene images).
enum class ModelKind { DeepDrim, Cnnc, Fusion, ImageOnly };

/// "deepdrim", "cnnc", "fusion" or "image-only".
std::string to_string(ModelKind kind);
/// Parses "deepdrim", "cnnc", "fusion" or "image-only"; throws on anything else.
ModelKind parse_model_kind(const std::string& name);

/// Normalisation after each tower convolution (before its ReLU).
enum class Norm { None, Group, Batch };
/// "none", "group" or "batch".
std::string to_string(Norm norm);
/// Parses "none", "group" or "batch"; throws on anything else.
Norm parse_norm(const std::string& name);

/// One image tower: three conv blocks (32, 64, 128 filters) and a linear 512-d embedding.
/// Input [B, in_channels, 32, 32], output [B, 512].
struct TowerImpl : torch::nn::Module {
  /// `dropout`: rate after each conv block (the reference's 0.25); `norm`: a GroupNorm (8
  /// groups, per image, 2C parameters) or BatchNorm2d after each convolution, or none (reference).
  /// With batch normalisation the convolutions' biases are frozen at 0 (the normalisation
  /// cancels them; left trainable they would only drift on rounding noise).
  explicit TowerImpl(double dropout = 0.25, Norm norm = Norm::None, int in_channels = 1);
  torch::Tensor forward(torch::Tensor x);

  /// Data-parallel training: batch normalisation takes its statistics over every rank's rows
  /// (sync_batch_norm) while this is set and the tower is in training mode.
  Collectives* sync = nullptr;

  torch::nn::Conv2d conv1a{nullptr}, conv1b{nullptr}, conv2a{nullptr}, conv2b{nullptr}, conv3a{nullptr}, conv3b{nullptr};
  std::vector<torch::nn::AnyModule> norms;  ///< one per convolution, empty without normalisation
  torch::nn::Linear embed{nullptr};
  torch::nn::Dropout drop{nullptr};
};
TORCH_MODULE(Tower);

/// Architecture settings (defaults: the reference DeepDRIM, 7,193,793 parameters).
struct DeepDrimOptions {
  ModelKind kind = ModelKind::DeepDrim;
  int neighbors = 10;  ///< n: the input has 2n + 3 images (1 for CNNC); 0 keeps the two self images
  /// Images tower A takes as channels: 1 (I(a, b), the paper's) or 2 (with the conditional image
  /// I(a, b | K) after it: ImageOptions::conditional); the neighbour images follow them.
  int primary_images = 1;
  double tower_dropout = 0.25;  ///< after each conv block (active in training mode only)
  double head_dropout = 0.5;    ///< in the MLP head (active in training mode only)
  Norm norm = Norm::None;       ///< normalisation in both towers
  /// Kaiming-uniform (ReLU gain) for the layers followed by a ReLU, Glorot for the embeddings,
  /// and zero weights in the output layers (logits start at 0, the loss at ln 2, not above it).
  bool he_init = false;
  /// DeepDRIM only: a CNNC head on tower A's embedding (dense 512 ReLU, dense 1; 263,169
  /// parameters) trained by an auxiliary loss; unused for prediction.
  bool aux_head = false;
  /// Prior features the output layer takes beside the image embedding: 0, or 1 for the target's
  /// leave-one-TF-out in-degree (`InDegreePrior`, log1p). Adds one weight to the output layer.
  int prior_features = 0;
  /// Fusion and image-only: channels of one gene's image (the branch takes the TF's and the
  /// target's, 2 x this); 0 for the other kinds.
  int gene_image_channels = 0;
  /// Fusion and image-only: a learned 512-d embedding replaces the image branch's output for a
  /// pair whose TF or target image is all zero (no image: --allow-missing-images).
  bool missing_image_embedding = false;
  /// Fusion only: late fusion. The image branch gets its own head (dense 512 ReLU, dense 1;
  /// 263,169 parameters) and the pair's logit is DeepDRIM's logit plus the branch's, instead of
  /// the branch's embedding joining DeepDRIM's first dense layer (early, SDINet's arrangement).
  /// Training with an auxiliary loss then also supervises each of the two logits on its own.
  bool late_fusion = false;
};

/// For the shared-gene step: the batch's distinct TFs and targets, each given by the row of the
/// images tensor that holds its first pair (`*_rep`), and for every pair the index of its TF and
/// target in those lists (`*_inv`). The "items" are the distinct TF sides followed by the distinct
/// target sides; tower B embeds each once. int64 tensors on the model's device.
struct SharedGenes {
  torch::Tensor tf_rep, tf_inv, target_rep, target_inv;
  /// Data parallel: this rank embeds items [item_first, item_first + item_counts[rank]) and the
  /// ranks gather the embeddings (`*_rep` is meaningful for those items only); empty: one process.
  long item_first = 0;
  std::vector<long> item_counts;
  /// Data parallel: rows of the images tensor holding this rank's pairs, in order (tf_inv and
  /// target_inv are per such pair); undefined: every row is a pair.
  torch::Tensor pair_rows;
  /// Data parallel: the positions in the global batch of the images tensor's rows.
  std::vector<long> rows;
};

/// The SharedGenes of a batch whose pairs have these TFs and targets (one process).
SharedGenes share_genes(const std::vector<int>& tf, const std::vector<int>& target, torch::Device device);

/// The SharedGenes of rank `rank` of `size` for a global batch with these TFs and targets: its
/// pairs are share_rows(batch, rank, size), its items share_rows(items, rank, size); `rows` lists
/// the batch positions whose images it needs (its pairs', then its items' first pairs').
SharedGenes share_genes(const std::vector<int>& tf, const std::vector<int>& target, torch::Device device, int rank, int size);

/// DeepDRIM: tower A embeds the primary image, tower B (shared weights) every neighbour image,
/// an MLP head maps the concatenation to one logit. Input [B, 2n + 3, 32, 32] (CNNC: [B, 1, 32,
/// 32]); output logits [B] (apply sigmoid for probabilities). Fusion: the input has the two
/// genes' images after the 2n + 3 (2C more channels), tower I embeds them and its embedding joins
/// the concatenation before the first dense layer. Image-only: the input is the 2C gene-image
/// channels alone, embedded by tower A (taking 2C channels) and scored by CNNC's head.
struct DeepDrimImpl : torch::nn::Module {
  explicit DeepDrimImpl(const DeepDrimOptions& opts = {});
  /// `prior` [B, prior_features] is required when the model has prior features, else ignored.
  torch::Tensor forward(torch::Tensor images, const torch::Tensor& prior = {});
  /// Both logits in one pass (tower A is shared): main and, with an auxiliary head, the
  /// auxiliary logits (else undefined): [B] (tower A's CNNC head) or, for late fusion, [B, 3]
  /// (tower A's head, DeepDRIM's part and the image branch's part of the main logit). With
  /// `shared`, each distinct gene's side (TF: I(a,a),
  /// I(a,nA_k); target: I(b,b), I(nB_k,b)) goes through tower B once and is gathered for every
  /// pair that has it: the same logits as without when tower dropout and batch normalisation are
  /// off in training mode. `slice`: where these pairs sit in a data-parallel global batch (head
  /// dropout masks are drawn for the global batch); with `shared` for a rank, `images` holds the
  /// rows `shared->rows` and the result has one logit per pair of the rank.
  std::pair<torch::Tensor, torch::Tensor> forward_train(torch::Tensor images, const SharedGenes* shared,
                                                        const torch::Tensor& prior = {}, const BatchSlice& slice = {});
  /// Sets both towers' Collectives (see TowerImpl::sync); null for one process.
  void set_sync(Collectives* group);
  /// Head after the first dense layer's pre-activation: ReLU, dropout, the rest, logits [B].
  torch::Tensor head_from_hidden(torch::Tensor pre_activation, const torch::Tensor& prior = {});
  /// Late fusion: the image branch's logits [B] from its embedding [B, 512].
  torch::Tensor image_logit(const torch::Tensor& embedding);
  /// Input channels per pair: expression_images() + 2 * gene_image_channels.
  int images_per_pair() const;
  /// Expression images per pair: 2n + 3 (DeepDRIM, fusion), 1 (CNNC), 0 (image-only); one more
  /// each with a conditional image (primary_images 2).
  int expression_images() const;
  /// Whether the model has tower B (neighbour images): DeepDRIM and fusion.
  bool has_neighbors() const { return opts.kind == ModelKind::DeepDrim || opts.kind == ModelKind::Fusion; }
  /// Whether the model reads gene images: fusion and image-only.
  bool uses_gene_images() const { return opts.kind == ModelKind::Fusion || opts.kind == ModelKind::ImageOnly; }
  /// The image branch's embedding with the missing-image embedding put in for pairs whose TF or
  /// target image ([B, 2C, 32, 32] `gene_images`) is all zero, when the model has one.
  torch::Tensor with_missing_images(const torch::Tensor& gene_images, torch::Tensor embedding) const;
  /// The prior features of these pairs from `in_degree` ([B, 1] on the model's device), or an
  /// undefined tensor when the model takes none.
  torch::Tensor prior_input(const std::vector<int>& tf, const std::vector<int>& target) const;

  /// The training network's in-degrees the prior features come from (fitted state, saved in the
  /// model file; indexed by the genes of the data at hand).
  InDegreePrior in_degree;

  DeepDrimOptions opts;
  Tower tower_a{nullptr}, tower_b{nullptr};
  Tower tower_i{nullptr};       ///< fusion: the image branch
  torch::Tensor missing_image;  ///< [512], with missing_image_embedding
  torch::nn::Linear fc1{nullptr}, fc2{nullptr}, out{nullptr};
  torch::nn::Linear aux_fc1{nullptr}, aux_out{nullptr};
  torch::nn::Linear image_fc1{nullptr}, image_out{nullptr};  ///< late fusion: the image branch's head
  torch::nn::Dropout drop{nullptr};

 private:
  torch::Tensor dropout(const torch::Tensor& x) const;
  BatchSlice slice_;  ///< of the forward_train call in progress
  torch::Tensor head_from_embeddings(const torch::Tensor& a, const torch::Tensor& neighbours, const torch::Tensor& prior);
};
TORCH_MODULE(DeepDrim);

/// Keras defaults: Glorot-uniform weights and zero biases for every conv and dense layer.
void keras_init(torch::nn::Module& module);

/// He initialisation: Kaiming-uniform weights (ReLU gain) for every convolution and for the
/// dense layers of `relu_dense`, zero biases; other layers keep their weights.
void he_init(torch::nn::Module& module, const std::vector<torch::nn::Linear>& relu_dense);

struct DeepDrimImpl;
/// Zero weights in the output layer (and the auxiliary head's): every logit starts at its bias, 0.
void zero_output_layers(DeepDrimImpl& net);

/// Total number of trainable parameters.
std::int64_t parameter_count(const torch::nn::Module& module);

/// Sets LibTorch's intra-op threads and OpenMP's (0 = all cores); Debian's LibTorch starts at 1.
void configure_threads(int threads);

/// "auto" (CUDA when the linked LibTorch has it), "cpu" or "cuda"; throws when CUDA is asked
/// for and unavailable.
torch::Device resolve_device(const std::string& name);

}  // namespace drim::model
