// model_diff A.pt B.pt [TOL [BUFFER_TOL]]: the largest difference between the weights of two drim
// model files and between their buffers (batch-norm running statistics), |a - b| / max(1, |b|)
// (absolute for values up to 1, relative above), and whether their best epochs agree. Exits 1
// when the weights differ by more than TOL (default 1e-5), the buffers by more than BUFFER_TOL
// (default 1e-3: LibTorch's own batch norm takes a channel's variance in one float32 pass, which
// loses digits on near-constant channels that the two-pass synchronised variance keeps), or the
// best epochs differ. For the data-parallel test (cli_distributed.sh).
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "drim/model/model_file.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: model_diff A.pt B.pt [TOL]\n");
    return 2;
  }
  try {
    const double tol = argc > 3 ? std::atof(argv[3]) : 1e-5, buffer_tol = argc > 4 ? std::atof(argv[4]) : 1e-3;
    auto a = drim::model::load_model(argv[1]), b = drim::model::load_model(argv[2]);
    auto pa = a.net->named_parameters(), pb = b.net->named_parameters();
    auto ba = a.net->named_buffers(), bb = b.net->named_buffers();
    if (pa.size() != pb.size() || ba.size() != bb.size()) {
      std::fprintf(stderr, "the models have different architectures\n");
      return 1;
    }
    auto compare = [&](const torch::OrderedDict<std::string, torch::Tensor>& x, const torch::OrderedDict<std::string, torch::Tensor>& y,
                       std::string& where) {
      double worst = 0.0;
      for (const auto& item : x) {
        const torch::Tensor a = item.value().to(torch::kDouble), b = y[item.key()].to(torch::kDouble);
        const double d = ((a - b).abs() / b.abs().clamp_min(1.0)).max().item<double>();
        if (d > worst) {
          worst = d;
          where = item.key();
        }
      }
      return worst;
    };
    std::string wp, wb;
    const double dp = compare(pa, pb, wp), db = compare(ba, bb, wb);
    const int ea = a.meta.at("best_epoch"), eb = b.meta.at("best_epoch");
    std::printf("largest difference: weights %.3g (%s), buffers %.3g (%s); best epoch %d and %d\n", dp, wp.c_str(), db, wb.c_str(), ea, eb);
    return dp <= tol && db <= buffer_tol && ea == eb ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "model_diff: %s\n", e.what());
    return 2;
  }
}
