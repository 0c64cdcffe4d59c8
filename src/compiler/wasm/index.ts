export { emitWasm } from "./emit.ts";
