// Validates built-in Kubernetes objects (and the Prometheus Operator's ServiceMonitor) with the
// official OpenAPI schemas shipped by the npm packages kubernetes-models and
// @kubernetes-models/prometheus-operator: types, required fields, enums and formats.
// These schemas do not forbid unknown fields; that is left to a real apiserver.

const PACKAGES = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

function modulePath(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !/^[A-Za-z0-9]+$/.test(kind)) return null;
  const slash = apiVersion.lastIndexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const pkg = PACKAGES[group] ?? "kubernetes-models";
  return `${pkg}/${group ? `${group}/` : ""}${version}/${kind}`;
}

const cache = new Map();

// Returns null if the kind is not known to the packages, else a list of error strings.
export async function validateBuiltin(doc) {
  const path = modulePath(doc.apiVersion, doc.kind);
  if (!path) return null;
  if (!cache.has(path)) {
    let Model = null;
    try {
      Model = (await import(path))[doc.kind] ?? null;
    } catch (e) {
      if (e.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED" && e.code !== "ERR_MODULE_NOT_FOUND") throw e;
    }
    cache.set(path, Model);
  }
  const Model = cache.get(path);
  if (!Model) return null;
  try {
    new Model(doc).validate();
    return [];
  } catch (e) {
    if (!e.errors) throw e;
    return e.errors.map((x) => `${x.instancePath || "/"} ${x.message}${x.params?.allowedValues ? `: ${x.params.allowedValues.join(", ")}` : ""}`);
  }
}
