#!/usr/bin/python3
"""Checks drim-network's degrees, weighted degrees, PageRank and betweenness against networkx
(Debian's python3-networkx) to 1e-9, on random directed weighted graphs and, with --edges, on a
real edge list (e.g. drim-predict output) cut the way drim-network cuts it.

  scripts/check-network-networkx.py [--bin build] [--edges FILE --top-per-tf K]
"""
import argparse, csv, os, subprocess, sys, tempfile
import numpy as np
import networkx as nx

TOL = 1e-9


def run_drim(binary, edges_path, out_dir, extra):
    cmd = [binary, edges_path, "--out", out_dir, "--min-score", "-1e30", "--no-graphml", "--quiet", "--force"] + extra
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out_dir, "nodes.tsv")) as f:
        return {r["gene"]: r for r in csv.DictReader(f, delimiter="\t")}


def compare(name, rows, G, weighted):
    """Max absolute difference of every metric between drim-network's rows and networkx on G."""
    pr = nx.pagerank(G, alpha=0.85, weight="weight" if weighted else None, tol=1e-15, max_iter=100000)
    bw = nx.betweenness_centrality(G)
    ref = {
        "in_degree": dict(G.in_degree()), "out_degree": dict(G.out_degree()),
        "in_weight": dict(G.in_degree(weight="weight")), "out_weight": dict(G.out_degree(weight="weight")),
        "pagerank": pr, "betweenness": bw,
    }
    if set(rows) != set(G.nodes):
        sys.exit(f"{name}: node sets differ ({len(rows)} vs {G.number_of_nodes()})")
    worst = {}
    for metric, values in ref.items():
        worst[metric] = max(abs(float(rows[g][metric]) - values[g]) for g in G.nodes)
    bad = {m: d for m, d in worst.items() if d > TOL}
    print(f"{name}: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges, weighted PageRank {weighted}: max |diff| "
          + ", ".join(f"{m} {d:.1e}" for m, d in worst.items()))
    if bad:
        sys.exit(f"{name}: differs from networkx beyond {TOL}: {bad}")


def random_edges(rng, n_tfs, n_genes, density):
    """A TF -> gene edge list like drim-predict's, with TFs also regulating TFs (cycles) and self-loops."""
    edges = []
    for t in range(n_tfs):
        for g in range(n_genes):
            if rng.random() < density:
                edges.append((f"TF{t}", f"TF{g}" if g < n_tfs else f"G{g}", float(np.float32(rng.random()))))
    return edges


def write_edges(path, edges):
    with open(path, "w") as f:
        f.write("tf\ttarget\tscore\n")
        for a, b, s in edges:
            f.write(f"{a}\t{b}\t{repr(s)}\n")


def graph_of(edges):
    G = nx.DiGraph()
    for a, b, s in edges:
        G.add_edge(a, b, weight=s)
    return G


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="build")
    ap.add_argument("--edges", help="a real edge list to check as well")
    ap.add_argument("--top-per-tf", type=int, default=0, help="with --edges: each TF's K best edges")
    args = ap.parse_args()
    binary = os.path.join(args.bin, "drim-network")
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "edges.tsv")
        for i, (tfs, genes, density) in enumerate([(3, 8, 0.5), (10, 60, 0.2), (25, 200, 0.05), (40, 400, 0.3)]):
            edges = random_edges(rng, tfs, genes, density)
            write_edges(path, edges)
            G = graph_of(edges)
            for weighted in (False, True):
                rows = run_drim(binary, path, os.path.join(tmp, "out"), ["--weighted"] if weighted else [])
                compare(f"random graph {i + 1}", rows, G, weighted)
        # GraphML: what Cytoscape and Gephi read; networkx must parse it back with every attribute.
        subprocess.run([binary, path, "--out", os.path.join(tmp, "gml"), "--min-score", "-1e30", "--quiet"], check=True,
                       stdout=subprocess.DEVNULL)
        H = nx.read_graphml(os.path.join(tmp, "gml", "network.graphml"))
        names = {d["name"] for _, d in H.nodes(data=True)}
        if names != set(G.nodes) or H.number_of_edges() != G.number_of_edges():
            sys.exit("network.graphml does not hold the network")
        if any(abs(d["score"] - G.edges[H.nodes[a]["name"], H.nodes[b]["name"]]["weight"]) > 1e-6 for a, b, d in H.edges(data=True)):
            sys.exit("network.graphml edge scores differ")
        print(f"network.graphml: read back by networkx, {H.number_of_nodes()} nodes, {H.number_of_edges()} edges, scores equal")
        if args.edges:
            edges = []
            with open(args.edges) as f:
                for line in f:
                    parts = line.rstrip("\n").split("\t")
                    try:
                        edges.append((parts[0], parts[1], float(np.float32(float(parts[2])))))
                    except (ValueError, IndexError):
                        continue
            if args.top_per_tf:
                by_tf = {}
                for e in edges:
                    by_tf.setdefault(e[0], []).append(e)
                edges = [e for es in by_tf.values() for e in sorted(es, key=lambda e: (-e[2], e[1]))[:args.top_per_tf]]
            extra = ["--top-per-tf", str(args.top_per_tf)] if args.top_per_tf else []
            G = graph_of(edges)
            for weighted in (False, True):
                rows = run_drim(binary, args.edges, os.path.join(tmp, "out"), extra + (["--weighted"] if weighted else []))
                compare(os.path.basename(args.edges), rows, G, weighted)
    print("check-network-networkx: all metrics equal networkx's within", TOL)


if __name__ == "__main__":
    main()
