//! Cycle breaking. A depth-first search started from the nodes in index
//! order, following out-edges in input order, reverses every back edge
//! (an edge to a node still on the DFS stack). For a request/response pair
//! the edge declared first keeps its direction. Iterative, so deep graphs
//! cannot overflow the stack.

use super::sanitize::IEdge;

/// `reversed[i]` tells whether `edges[i]` must point the other way for the
/// graph to be acyclic.
pub(super) fn reversed_edges(n: usize, edges: &[IEdge]) -> Vec<bool> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, e) in edges.iter().enumerate() {
        out[e.src].push(i);
    }
    // 0 = unvisited, 1 = on stack, 2 = finished.
    let mut state = vec![0u8; n];
    let mut reversed = vec![false; edges.len()];
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        state[start] = 1;
        stack.push((start, 0));
        while let Some(top) = stack.last_mut() {
            let (v, next) = *top;
            if let Some(&ei) = out[v].get(next) {
                top.1 += 1;
                let w = edges[ei].dst;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => reversed[ei] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    reversed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(src: usize, dst: usize) -> IEdge {
        IEdge {
            id: 0,
            src,
            dst,
            lw: 0.0,
            lh: 0.0,
        }
    }

    #[test]
    fn request_response_pair() {
        let r = reversed_edges(2, &[e(0, 1), e(1, 0), e(0, 1)]);
        assert_eq!(r, vec![false, true, false]);
    }

    #[test]
    fn result_is_acyclic() {
        let edges = vec![e(0, 1), e(1, 2), e(2, 0), e(2, 3), e(3, 1), e(3, 3)];
        let r = reversed_edges(4, &edges);
        // Kahn's algorithm must consume every node.
        let mut indeg = [0; 4];
        let mut adj = vec![Vec::new(); 4];
        for (i, ed) in edges.iter().enumerate() {
            if ed.src == ed.dst {
                continue;
            }
            let (a, b) = if r[i] {
                (ed.dst, ed.src)
            } else {
                (ed.src, ed.dst)
            };
            adj[a].push(b);
            indeg[b] += 1;
        }
        let mut q: Vec<usize> = (0..4).filter(|&v| indeg[v] == 0).collect();
        let mut seen = 0;
        while let Some(v) = q.pop() {
            seen += 1;
            for &w in &adj[v] {
                indeg[w] -= 1;
                if indeg[w] == 0 {
                    q.push(w);
                }
            }
        }
        assert_eq!(seen, 4);
    }
}
