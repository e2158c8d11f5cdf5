import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minimatch } from 'minimatch';

import {
  DEPLOY_CONFIG_GLOB,
  KAMAL_GLOBS,
  PROJECT_MARKER_GLOB,
  builderDockerfile,
  documentSelector,
  isDeployConfigUri,
  projectDockerfiles,
  projectRootOf,
  type DocumentFilter,
} from '../src/kamal';

// VS Code matches a string pattern against the whole path of the document, and a relative
// pattern against the path below its base; `*` and `**` match dot-files there.
function matches(filter: DocumentFilter, fsPath: string): boolean {
  if (typeof filter.pattern === 'string') return minimatch(fsPath, filter.pattern, { dot: true });
  const base = decodeURIComponent(new URL(filter.pattern.baseUri).pathname);
  if (!fsPath.startsWith(`${base}/`)) return false;
  return minimatch(fsPath.slice(base.length + 1), filter.pattern.pattern, { dot: true });
}

function selected(filters: DocumentFilter[], fsPath: string): boolean {
  return filters.some((filter) => matches(filter, fsPath));
}

describe('document selector', () => {
  const filters = documentSelector([{ rootUri: 'file:///home/me/app', dockerfiles: ['Dockerfile'] }]);

  const kamalFiles = [
    '/home/me/app/config/deploy.yml',
    '/home/me/app/config/deploy.yaml',
    '/home/me/app/config/deploy.staging.yml',
    '/home/me/app/config/deploy.production.yaml',
    '/home/me/app/.kamal/secrets',
    '/home/me/app/.kamal/secrets-common',
    '/home/me/app/.kamal/secrets.staging',
    '/home/me/app/.kamal/hooks/pre-deploy',
    '/home/me/app/.kamal/hooks/post-deploy',
    '/home/me/app/Dockerfile',
    // A project nested in a monorepo is found by the globs too.
    '/home/me/mono/services/api/config/deploy.yml',
    '/home/me/mono/services/api/.kamal/secrets',
  ];
  for (const file of kamalFiles) {
    it(`selects ${file}`, () => assert.equal(selected(filters, file), true));
  }

  const otherFiles = [
    '/home/me/app/.github/workflows/deploy.yml',
    '/home/me/app/.github/workflows/deploy.yaml',
    '/home/me/app/deploy.yml',
    '/home/me/app/config/database.yml',
    '/home/me/app/config/deploy.yml.bak',
    '/home/me/app/config/deployment.yml',
    '/home/me/app/myconfig/deploy.yml',
    '/home/me/app/config/deploy/production.yml',
    '/home/me/app/.kamal/secretsx',
    '/home/me/app/.kamal/hooks/sub/pre-deploy',
    '/home/me/app/kamal/secrets',
    '/home/me/app/docker/Dockerfile',
    '/home/me/app/Dockerfile.dev',
    '/home/me/other/Dockerfile',
    '/home/me/app-old/Dockerfile',
  ];
  for (const file of otherFiles) {
    it(`does not select ${file}`, () => assert.equal(selected(filters, file), false));
  }

  it('uses only file-scheme filters without a language, so any language id matches', () => {
    for (const filter of filters) {
      assert.deepEqual(Object.keys(filter).sort(), ['pattern', 'scheme']);
      assert.equal(filter.scheme, 'file');
    }
  });

  it('adds a relative Dockerfile pattern per project, and no Dockerfile pattern without projects', () => {
    const none = documentSelector([]);
    assert.deepEqual(
      none.map((filter) => filter.pattern),
      [...KAMAL_GLOBS],
    );
    const two = documentSelector([
      { rootUri: 'file:///a', dockerfiles: ['Dockerfile'] },
      { rootUri: 'file:///b', dockerfiles: ['Dockerfile', 'docker/Dockerfile.prod'] },
    ]);
    assert.deepEqual(two.slice(KAMAL_GLOBS.length), [
      { scheme: 'file', pattern: { baseUri: 'file:///a', pattern: 'Dockerfile' } },
      { scheme: 'file', pattern: { baseUri: 'file:///b', pattern: 'Dockerfile' } },
      { scheme: 'file', pattern: { baseUri: 'file:///b', pattern: 'docker/Dockerfile.prod' } },
    ]);
  });

  it('selects a Dockerfile named by builder.dockerfile in a subfolder', () => {
    const custom = documentSelector([{ rootUri: 'file:///srv/app', dockerfiles: ['docker/Dockerfile.prod'] }]);
    assert.equal(selected(custom, '/srv/app/docker/Dockerfile.prod'), true);
    assert.equal(selected(custom, '/srv/app/Dockerfile'), false);
  });

  it('drops duplicate Dockerfiles and names with glob characters', () => {
    const filters = documentSelector([
      { rootUri: 'file:///a', dockerfiles: ['Dockerfile', 'Dockerfile', 'Docker*', 'x{1,2}'] },
    ]);
    assert.equal(filters.length, KAMAL_GLOBS.length + 1);
  });

  it('finds project markers and deploy configs with the same shapes', () => {
    assert.equal(minimatch('app/config/deploy.yml', PROJECT_MARKER_GLOB, { dot: true }), true);
    assert.equal(minimatch('.github/workflows/deploy.yml', PROJECT_MARKER_GLOB, { dot: true }), false);
    assert.equal(minimatch('app/config/deploy.staging.yaml', DEPLOY_CONFIG_GLOB, { dot: true }), true);
    assert.equal(minimatch('.github/workflows/deploy.yml', DEPLOY_CONFIG_GLOB, { dot: true }), false);
  });
});

describe('project roots', () => {
  it('is the folder above config/', () => {
    assert.equal(projectRootOf('file:///home/me/app/config/deploy.yml'), 'file:///home/me/app');
    assert.equal(projectRootOf('file:///c%3A/src/app/config/deploy.yml'), 'file:///c%3A/src/app');
  });
  it('is undefined for other files', () => {
    assert.equal(projectRootOf('file:///home/me/app/config/deploy.staging.yml'), undefined);
    assert.equal(projectRootOf('file:///home/me/app/.github/workflows/deploy.yml'), undefined);
  });
  it('recognises deploy config URIs', () => {
    assert.equal(isDeployConfigUri('file:///a/config/deploy.yml'), true);
    assert.equal(isDeployConfigUri('file:///a/config/deploy.staging.yaml'), true);
    assert.equal(isDeployConfigUri('file:///a/.github/workflows/deploy.yml'), false);
    assert.equal(isDeployConfigUri('file:///a/config/deployment.yml'), false);
  });
});

describe('builder.dockerfile', () => {
  it('is undefined without a builder section or key', () => {
    assert.equal(builderDockerfile('service: app\nimage: me/app\n'), undefined);
    assert.equal(builderDockerfile('builder:\n  arch: amd64\n'), undefined);
  });
  it('reads plain, quoted and commented values', () => {
    assert.equal(builderDockerfile('builder:\n  arch: amd64\n  dockerfile: Dockerfile.prod\n'), 'Dockerfile.prod');
    assert.equal(builderDockerfile('builder:\n  dockerfile: "docker/Dockerfile"  # main\n'), 'docker/Dockerfile');
    assert.equal(builderDockerfile("builder:\n  dockerfile: './Dockerfile.web'\n"), 'Dockerfile.web');
    assert.equal(builderDockerfile('builder:\r\n  # comment\r\n\r\n  dockerfile: Containerfile\r\n'), 'Containerfile');
  });
  it('ignores dockerfile keys outside builder or nested deeper', () => {
    assert.equal(builderDockerfile('accessories:\n  db:\n    dockerfile: Nope\nbuilder:\n  arch: arm64\n'), undefined);
    assert.equal(builderDockerfile('builder:\n  args:\n    dockerfile: Nope\n  arch: amd64\n'), undefined);
    assert.equal(builderDockerfile('dockerfile: Nope\nbuilder:\n  arch: amd64\n'), undefined);
  });
  it('does not guess at ERB or aliases', () => {
    assert.equal(builderDockerfile('builder:\n  dockerfile: <%= ENV["DF"] %>\n'), undefined);
    assert.equal(builderDockerfile('builder:\n  dockerfile: *df\n'), undefined);
  });
  it('gives the project its default and named Dockerfiles', () => {
    assert.deepEqual(projectDockerfiles(['service: a\n']), ['Dockerfile']);
    assert.deepEqual(projectDockerfiles(['builder:\n  dockerfile: Dockerfile.prod\n']), ['Dockerfile.prod']);
    assert.deepEqual(
      projectDockerfiles(['service: a\n', 'builder:\n  dockerfile: Dockerfile.staging\n']),
      ['Dockerfile', 'Dockerfile.staging'],
    );
    assert.deepEqual(projectDockerfiles(['builder:\n  dockerfile: ../outside/Dockerfile\n']), []);
  });
});
