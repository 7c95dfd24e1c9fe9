#include "drim/model/tcer.hpp"

#include "drim/error.hpp"
#include "drim/impute/layout_file.hpp"
#include "drim/model/archive_file.hpp"

namespace drim::model {
namespace {

constexpr const char* kMetaKey = "drim_tcer_metadata";
constexpr const char* kFormat = "drim-tcer-1";

torch::Tensor images_tensor(const std::vector<float>& img, const impute::GenomapLayout& layout) {
  const long P = static_cast<long>(layout.rows) * layout.cols, N = static_cast<long>(img.size()) / P;
  return torch::from_blob(const_cast<float*>(img.data()), {N, 1, layout.rows, layout.cols}, torch::kFloat32).clone();
}

torch::Tensor gene_pixels(const impute::GenomapLayout& layout) {
  auto g = torch::zeros({layout.rows * layout.cols}, torch::kBool);
  for (int p : layout.position) g[p] = true;
  return g.view({layout.rows, layout.cols});
}

}  // namespace

TcerModel fit_tcer(const Expression& expr, const TcerOptions& opts, const impute::GenomapLayout* layout, torch::Device device,
                   const std::function<void(const std::string&)>& log, const std::function<void(const ImputeEpoch&)>& on_epoch) {
  TcerModel m;
  if (layout) {
    impute::validate_layout(*layout, "the layout");
    m.layout = *layout;
  } else {
    const auto t0 = std::chrono::steady_clock::now();
    const impute::GenomapFit fit = impute::fit_genomap(expr, opts.genomap);
    m.layout = fit.layout;
    if (log)
      log("GenoMap: " + std::to_string(expr.n_genes()) + " genes on a " + std::to_string(fit.layout.rows) + " x " +
          std::to_string(fit.layout.cols) + " grid, " + std::to_string(fit.iterations) + " Gromov-Wasserstein iterations, cost " +
          std::to_string(fit.gw_cost) + ", assignment keeps " + std::to_string(fit.assignment_mass) + " of the plan, " +
          std::to_string(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()) + " s");
  }
  const auto rows = impute::layout_rows(m.layout, expr);
  m.scale = impute::fit_scale(expr, rows);
  const torch::Tensor images = images_tensor(impute::genomap_images(expr, m.layout, rows, m.scale), m.layout);
  torch::manual_seed(opts.train.seed);
  m.net = ErNet(opts.net);
  const auto history = train_er_net(m.net, images, gene_pixels(m.layout), opts.train, device, on_epoch);
  nlohmann::json h = nlohmann::json::array();
  for (const auto& e : history) h.push_back(to_json(e));
  m.meta = {{"channels", opts.net.channels},
            {"dfa_blocks", opts.net.dfa_blocks},
            {"placeholder", opts.train.placeholder},
            {"seed", opts.train.seed},
            {"training",
             {{"epochs", opts.train.epochs}, {"batch", opts.train.batch}, {"lr", opts.train.lr}, {"halve_every", opts.train.halve_every},
              {"mask_min", opts.train.mask_min}, {"mask_max", opts.train.mask_max}, {"mask_zeros", opts.train.mask_zeros},
              {"squared", opts.train.squared},
              {"fft_weight", opts.train.fft_weight},
              {"seed", opts.train.seed}, {"cells", expr.n_cells()}}},
            {"history", h}};
  return m;
}

Expression apply_tcer(TcerModel& model, const Expression& expr, bool keep_observed, torch::Device device, const RestoreOptions& restore) {
  const auto rows = impute::layout_rows(model.layout, expr);
  const torch::Tensor images = images_tensor(impute::genomap_images(expr, model.layout, rows, model.scale), model.layout);
  RestoreOptions ro = restore;
  ro.placeholder = model.meta.value("placeholder", 0.999f);
  const torch::Tensor restored = restore_genomaps(model.net, images, gene_pixels(model.layout), ro, device).contiguous();
  std::vector<float> out(restored.data_ptr<float>(), restored.data_ptr<float>() + restored.numel());
  Expression imputed = expr;
  impute::images_to_expression(out, model.layout, rows, model.scale, impute::cell_factors(expr, model.scale.target_total),
                               keep_observed, imputed);
  return imputed;
}

Expression apply_tcer_posterior(TcerModel& model, const Expression& expr, torch::Device device, const RestoreOptions& restore,
                                const impute::PosteriorOptions& posterior, impute::PosteriorFit* fit) {
  const Expression prediction = apply_tcer(model, expr, false, device, restore);
  std::vector<bool> layout_gene(expr.n_genes(), false);
  for (int r : impute::layout_rows(model.layout, expr)) layout_gene[r] = true;
  return impute::gamma_poisson_posterior(expr, prediction, layout_gene, posterior, fit);
}

void save_tcer(const std::string& path, TcerModel& model) {
  nlohmann::json meta = model.meta;
  meta["format"] = kFormat;
  meta["layout"] = {{"rows", model.layout.rows}, {"cols", model.layout.cols}, {"genes", model.layout.genes}, {"position", model.layout.position}};
  meta["gene_max"] = model.scale.gene_max;
  meta["target_total"] = model.scale.target_total;
  torch::serialize::OutputArchive archive;
  model.net->save(archive);
  save_archive(archive, kMetaKey, meta, path);
}

TcerModel load_tcer(const std::string& path) {
  torch::serialize::InputArchive archive;
  TcerModel m;
  m.meta = load_archive(path, kMetaKey, "drim TCER model", archive);
  try {
    if (m.meta.value("format", "") != kFormat) throw Error(quote(path) + ": unsupported TCER model format");
    const auto& l = m.meta.at("layout");
    m.layout.rows = l.at("rows");
    m.layout.cols = l.at("cols");
    m.layout.genes = l.at("genes").get<std::vector<std::string>>();
    m.layout.position = l.at("position").get<std::vector<int>>();
    m.scale.gene_max = m.meta.at("gene_max").get<std::vector<double>>();
    m.scale.target_total = m.meta.at("target_total").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(quote(path) + ": unreadable TCER metadata: " + e.what());
  }
  impute::validate_layout(m.layout, quote(path));
  ErNetOptions o;
  o.channels = m.meta.value("channels", 32);
  o.dfa_blocks = m.meta.value("dfa_blocks", 3);
  m.net = ErNet(o);
  try {
    m.net->load(archive);
  } catch (const c10::Error& e) {
    throw Error(quote(path) + ": weights do not match ER-Net: " + e.what_without_backtrace());
  }
  m.net->eval();
  return m;
}

}  // namespace drim::model
