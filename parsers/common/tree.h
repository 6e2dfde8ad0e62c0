/*
 * parsers/common/tree.h - the walk over threaded trees, the node layout
 * every format's DOM shares: a parent's first child in `as.head` (NULL
 * when it has none), siblings through `link`, and a last child's `link`
 * leading back to its parent (its LAST flag set). Such a tree is walked
 * depth-first with O(1) machine stack at any depth.
 *
 * NG__TREE_WALK defines the walk function `name(root, enter, leave, ud)`
 * for a format's node type: enter(ud, node, depth) before a node's
 * children, leave(ud, node, depth) after a parent's (either may be NULL);
 * a nonzero return stops the walk and is returned. NG_EINVAL for a NULL
 * root. is_parent(n) and is_last(n) are the format's predicates.
 */
#ifndef NG_PARSERS_COMMON_TREE_H
#define NG_PARSERS_COMMON_TREE_H

#include <stddef.h>

#include "nestguard/error.h"

#define NG__TREE_WALK(name, node_t, visit_t, is_parent, is_last)              \
  int name(const node_t *root, visit_t enter, visit_t leave, void *ud) {       \
    const node_t *v = root;                                                    \
    size_t depth = 0;                                                          \
    int rc;                                                                    \
                                                                               \
    if (root == NULL)                                                          \
      return NG_EINVAL;                                                        \
    for (;;) {                                                                 \
      if (enter != NULL && (rc = enter(ud, v, depth)) != 0)                    \
        return rc;                                                             \
      if (is_parent(v)) {                                                      \
        if (v->as.head != NULL) {                                              \
          v = v->as.head;                                                      \
          depth++;                                                             \
          continue;                                                            \
        }                                                                      \
        if (leave != NULL && (rc = leave(ud, v, depth)) != 0)                  \
          return rc;                                                           \
      }                                                                        \
      while (v != root && is_last(v)) {                                        \
        v = v->link;                                                           \
        depth--;                                                               \
        if (leave != NULL && (rc = leave(ud, v, depth)) != 0)                  \
          return rc;                                                           \
      }                                                                        \
      if (v == root)                                                           \
        return NG_OK;                                                          \
      v = v->link;                                                             \
    }                                                                          \
  }

#endif /* NG_PARSERS_COMMON_TREE_H */
