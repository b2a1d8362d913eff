// Typed values for a query's `?` parameters from command-line text.
//
// The contract: the text alone decides the value (by its form, or by a type prefix); the query is
// not consulted. Every text is either a value or InvalidArgument saying what was expected. The
// value is bound to its `?` as a constant, never spliced into SQL text.
#pragma once

#include <string_view>

#include "common/status.h"
#include "query/types.h"

namespace loglake::query {

// Reads one `--param` value (`loglake query --param`, in order for the query's `?`s) into a
// typed Value. Untyped text is typed by its form:
//   -?digits                 integer, or bigint when it does not fit int32 (error past int64)
//   decimal with . or e      double (1.5, -2e3)
//   true / false             boolean (any case)
//   null                     NULL (any case; its type comes from where the ? is used)
//   date and time            timestamp: 2024-05-01T00:00:00Z, 2024-05-01 00:00:00[.ffffff],
//                            with an optional zone (Z, +09:00); a bare date stays a string
//   anything else            string
// A prefix forces the type: string: (or varchar:), int: (integer:, bigint:), double:, bool:
// (boolean:), timestamp: (a bare date allowed), null: (nothing after the colon). Everything
// after the first colon is the value, so "string:int:5" is the string "int:5". Text whose part
// before the first colon is not one of these names ("http://x", "a:b") is a string as a whole.
// Errors (InvalidArgument) say what was expected.
Result<Value> ParseParamText(std::string_view text);

}  // namespace loglake::query
