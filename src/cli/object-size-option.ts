// `--max-object-size`, one definition for the commands that check objects (scan, test, rego eval).

import { InvalidArgumentError, Option } from "commander";
import { DEFAULT_MAX_OBJECT_BYTES, parseByteSize } from "../size-limits.ts";

export function maxObjectSizeOption(): Option {
  return new Option("--max-object-size <size>", "check objects up to this size as JSON (bytes, KiB or MiB); a larger one is an input error, not checked")
    .default(DEFAULT_MAX_OBJECT_BYTES, "3MiB, the API server's request limit")
    .argParser((value) => {
      try {
        return parseByteSize(value);
      } catch (error) {
        throw new InvalidArgumentError((error as RangeError).message);
      }
    });
}
