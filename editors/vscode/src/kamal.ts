/**
 * Which files are Kamal files, as document-selector data (the Language Server Protocol's
 * `DocumentFilter` shape, which vscode-languageclient converts to VS Code's own).
 *
 * No `vscode` import here: the selector and the small helpers below are unit-tested in plain Node.
 *
 * A project is a folder holding `config/deploy.yml`. Its Kamal files are the deploy configs
 * (`config/deploy.yml`, `config/deploy.DEST.yml`, and the `.yaml` spellings), the secrets files
 * (`.kamal/secrets`, `.kamal/secrets-common`, `.kamal/secrets.DEST`), the hooks (`.kamal/hooks/*`),
 * and the Dockerfile that `builder.dockerfile` names (default `Dockerfile`).
 */

/** Glob patterns (VS Code glob syntax) that mark a Kamal file wherever it lives. */
export const KAMAL_GLOBS: readonly string[] = [
  '**/config/deploy.yml',
  '**/config/deploy.yaml',
  '**/config/deploy.*.yml',
  '**/config/deploy.*.yaml',
  '**/.kamal/secrets',
  '**/.kamal/secrets-common',
  '**/.kamal/secrets.*',
  '**/.kamal/hooks/*',
];

/** The glob, relative to a workspace folder, that finds project roots (through their config). */
export const PROJECT_MARKER_GLOB = '**/config/deploy.yml';

/** The glob of files whose creation, deletion or change may change the set of Kamal files. */
export const DEPLOY_CONFIG_GLOB = '**/config/deploy*.{yml,yaml}';

/** Folders never searched for projects. */
export const SEARCH_EXCLUDE_GLOB = '**/{node_modules,vendor,tmp,.git}/**';

export interface RelativePattern {
  /** A `file:` URI of the folder the pattern is relative to. */
  baseUri: string;
  pattern: string;
}

export interface DocumentFilter {
  scheme: 'file';
  pattern: string | RelativePattern;
}

/** One Kamal project found in the workspace. */
export interface Project {
  /** `file:` URI of the folder holding `config/deploy.yml`, without a trailing slash. */
  rootUri: string;
  /** Dockerfile paths relative to the root, as written in the deploy configs' `builder.dockerfile`. */
  dockerfiles: string[];
}

/**
 * The client's document selector: the Kamal globs (for any language, since VS Code has no language
 * for secrets files and may call a hook `shellscript` or `plaintext`), plus each project's
 * Dockerfile(s) as patterns relative to its root, so that other Dockerfiles are left alone.
 */
export function documentSelector(projects: readonly Project[]): DocumentFilter[] {
  const filters: DocumentFilter[] = KAMAL_GLOBS.map((pattern) => ({ scheme: 'file', pattern }));
  const seen = new Set<string>();
  for (const project of projects) {
    for (const pattern of project.dockerfiles) {
      // A name with glob characters would match other files too: such a Dockerfile is left out.
      if (/[*?[\]{}]/.test(pattern)) continue;
      const key = `${project.rootUri}\u0000${pattern}`;
      if (seen.has(key)) continue;
      seen.add(key);
      filters.push({ scheme: 'file', pattern: { baseUri: project.rootUri, pattern } });
    }
  }
  return filters;
}

/**
 * The project root of a `config/deploy.yml` URI (`file:///app/config/deploy.yml` → `file:///app`),
 * or undefined when the URI does not name such a file.
 */
export function projectRootOf(deployConfigUri: string): string | undefined {
  const match = /^(.*)\/config\/deploy\.yml$/.exec(deployConfigUri);
  if (match === null || match[1] === undefined) return undefined;
  return match[1];
}

/** Whether a URI names a base or destination deploy config (`config/deploy[.DEST].y[a]ml`). */
export function isDeployConfigUri(uri: string): boolean {
  return /\/config\/deploy(\.[^/]+)?\.ya?ml$/.test(uri);
}

/**
 * The Dockerfile a deploy config names in `builder.dockerfile`, or undefined when it names none
 * (Kamal's default is then `Dockerfile`). A line-based reading, enough for the plain forms
 * (`dockerfile: Dockerfile.prod`, quoted or not); a value written with ERB or a YAML alias is not
 * read, and the server, which parses the file for real, still checks whatever Dockerfile applies.
 */
export function builderDockerfile(deployYaml: string): string | undefined {
  const lines = deployYaml.split(/\r?\n/);
  let inBuilder = false;
  let builderIndent = -1;
  for (const line of lines) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      inBuilder = /^builder\s*:\s*(#.*)?$/.test(line);
      builderIndent = -1;
      continue;
    }
    if (!inBuilder) continue;
    if (builderIndent === -1) builderIndent = indent;
    if (indent !== builderIndent) continue;
    const match = /^\s+dockerfile\s*:\s*(?:"([^"]*)"|'([^']*)'|([^\s#'"][^#]*?))\s*(?:#.*)?$/.exec(line);
    if (match === null) continue;
    const value = (match[1] ?? match[2] ?? match[3] ?? '').trim();
    if (value === '' || value.includes('<%') || value.startsWith('*') || value.startsWith('&')) {
      return undefined;
    }
    return normalizeRelative(value);
  }
  return undefined;
}

/**
 * The Dockerfiles of a project: `Dockerfile` unless the configs name others, and each one they
 * name (a destination may build from another file). Paths leaving the root are dropped.
 */
export function projectDockerfiles(deployConfigs: readonly string[]): string[] {
  const named = new Set<string>();
  let baseNamesOne = false;
  deployConfigs.forEach((text, index) => {
    const dockerfile = builderDockerfile(text);
    if (dockerfile === undefined) return;
    if (index === 0) baseNamesOne = true;
    named.add(dockerfile);
  });
  const result = baseNamesOne ? [] : ['Dockerfile'];
  for (const name of named) {
    if (!result.includes(name) && !name.startsWith('../') && !name.startsWith('/')) result.push(name);
  }
  return result;
}

function normalizeRelative(path: string): string {
  let p = path.replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  return p;
}
