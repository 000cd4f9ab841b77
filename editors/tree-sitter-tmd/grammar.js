/**
 * tree-sitter grammar of the tmd language (version 0.2): threat models as
 * code. For highlighting and structure in editors (Neovim, Helix, Zed);
 * tmd's own parser (grammar/tmd.pest) decides what is valid.
 *
 * tmd is line oriented; this grammar lets line ends be whitespace, since
 * every statement opens with its keyword (or is `key: value`), which is
 * enough to tell statements apart.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/;

function commaSep1(rule) {
  return seq(rule, repeat(seq(',', rule)));
}

module.exports = grammar({
  name: 'tmd',

  extras: $ => [/[ \t\r\n\uFEFF]/, $.comment, $.allow_directive],

  word: $ => $.identifier,

  rules: {
    source_file: $ => repeat($._statement),

    _statement: $ => choice(
      $.header,
      $.element,
      $.boundary,
      $.flow,
      $.actor,
      $.threat,
      $.declaration,
      $.attribute,
    ),

    // ------------------------------------------------------------ header

    header: $ => seq(
      field('keyword', choice(
        'title', 'scope', 'author', 'created', 'updated', 'version', 'direction',
        'reviewers', 'contributors', 'link', 'risk', 'classification', 'sensitive',
      )),
      field('value', $._value),
    ),

    // ------------------------------------------------------------ elements

    element: $ => seq(
      field('kind', choice('external', 'process', 'store')),
      field('name', $.identifier),
      optional(field('label', $.string)),
      optional(field('body', $.block)),
    ),

    boundary: $ => seq(
      'boundary',
      field('name', $.identifier),
      optional(field('label', $.string)),
      '{',
      repeat($._statement),
      '}',
    ),

    flow: $ => seq(
      'flow',
      optional(seq(field('name', $.identifier), ':')),
      field('source', $.identifier),
      '->',
      field('target', $.identifier),
      optional(field('label', $.string)),
      optional(field('body', $.block)),
    ),

    actor: $ => seq(
      'actor',
      field('name', $.identifier),
      optional(field('label', $.string)),
      optional(field('body', $.block)),
    ),

    threat: $ => seq(
      'threat',
      field('name', $.identifier),
      optional(field('title', $.string)),
      optional(seq('on', commaSep1(field('target', $.target)))),
      field('body', $.block),
    ),

    target: $ => seq(
      field('source', $.identifier),
      optional(seq('->', field('target', $.identifier))),
    ),

    declaration: $ => seq(
      field('kind', choice('scale', 'control', 'asset', 'assumption')),
      field('name', $.identifier),
      optional(field('label', $.string)),
      optional(field('body', $.block)),
    ),

    // A boundary's own `key: value` line.
    attribute: $ => $._entry,

    // ------------------------------------------------------------ blocks

    block: $ => seq('{', repeat(seq($.entry, optional(','))), '}'),

    entry: $ => $._entry,

    _entry: $ => seq(field('key', $.identifier), ':', field('value', $._value)),

    // ------------------------------------------------------------ values

    _value: $ => choice($.list, $._scalar),
    _scalar: $ => choice($.string, $.date, $.integer, $.boolean, $.word),

    list: $ => seq('[', optional(seq(commaSep1($._scalar), optional(','))), ']'),

    string: $ => seq(
      '"',
      repeat(choice(
        // Above the comment's precedence: `#` inside a string is text.
        token.immediate(prec(3, /([^"\\\r\n]|\x00)+/)),
        $.escape_sequence,
      )),
      token.immediate('"'),
    ),

    escape_sequence: _ => token.immediate(seq('\\', choice(
      /u\{[0-9A-Fa-f]*\}?/,
      /[^\r\n]/,
    ))),

    date: _ => /\d{4}-\d{2}-\d{2}/,
    integer: _ => /\d+/,
    boolean: _ => choice('true', 'false'),
    word: _ => /[A-Za-z_][A-Za-z0-9_-]*/,

    identifier: _ => IDENT,

    // `# tmd: allow CODE... reason`: a comment tmd reads.
    allow_directive: _ => token(prec(2, /#[ \t]*tmd:[ \t]*allow[^\r\n]*/)),
    comment: _ => token(prec(1, /#[^\r\n]*/)),
  },
});
