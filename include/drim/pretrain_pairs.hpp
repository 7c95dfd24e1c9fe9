#pragma once
// Label-free pretraining data: random gene pairs and the correlation their histogram image shows.
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "drim/image_builder.hpp"

namespace drim {

/// The Pearson correlation between the column bin and the row bin over the cells of a 32 x 32
/// histogram (`counts`, row-major, 1024 cell counts; columns x, rows y as ImageContext::image_counts
/// writes them): the correlation of the two genes' binned log values, read from the image alone.
/// 0 when either gene takes a single bin (no variance) or the histogram is empty.
double histogram_correlation(const std::uint32_t* counts);

/// Pearson's r of two images' pixels x[0..n) and y[0..n) (the image branch's pretraining target);
/// 0 when either is constant.
double pixel_correlation(const float* x, const float* y, std::size_t n);

/// The pretraining targets of pair (a, b): the histogram_correlation of each of its
/// ctx.primary_images() primary images (I(a, b), then I(a, b | K) with a conditional image),
/// written to out[0 .. primary_images()).
void primary_correlations(const ImageContext& ctx, int a, int b, float* out);

/// `count` ordered pairs (a, b) of distinct genes drawn uniformly from [0, n_genes) with
/// replacement; the same arguments give the same pairs on every platform. Needs n_genes >= 2.
std::vector<std::pair<int, int>> random_gene_pairs(std::size_t n_genes, std::size_t count, std::uint64_t seed);

/// The same within groups (`group`: one id per gene, e.g. the separate datasets of a simulation
/// stacked in one matrix, whose cross-group pairs have no joint distribution): a is drawn uniformly
/// among the genes whose group has another gene, b uniformly among the other genes of a's group.
/// Throws when no group has two genes.
std::vector<std::pair<int, int>> random_gene_pairs(const std::vector<int>& group, std::size_t count, std::uint64_t seed);

}  // namespace drim
