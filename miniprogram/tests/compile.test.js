/**
 * The mini-program compiles with WeChat's own compilers, as DevTools and the
 * upload would compile it: wcc for every WXML (with the components each page
 * uses) and wcsc for every WXSS, both shipped in the miniprogram-compiler
 * package. A WXML or WXSS error fails the suite, and so CI.
 */
const fs = require('fs')
const os = require('os')
const path = require('path')
const { spawnSync } = require('child_process')
const wcc = require('miniprogram-compiler/src/wcc')

const SRC = path.resolve(__dirname, '../src')
const APP = JSON.parse(fs.readFileSync(path.join(SRC, 'app.json'), 'utf8'))

/** Every file under `root` ending in `extension`, without it, relative to `root`. */
function sources(root, extension) {
  return fs
    .readdirSync(root, { recursive: true })
    .filter((file) => file.endsWith(extension))
    .map((file) => file.slice(0, -extension.length).split(path.sep).join('/'))
    .sort()
}

const MAX_OUTPUT = 16 * 1024 * 1024
const WCSC = path.join(
  path.dirname(require.resolve('miniprogram-compiler/package.json')),
  'bin',
  { darwin: 'mac/wcsc', win32: 'windows/wcsc.exe' }[process.platform] || 'linux/wcsc',
)

/**
 * wcsc over every WXSS, called as miniprogram-compiler calls it (component
 * styles first, counted by -pc), but read whole: the package's own reader
 * splits the output at every "=" and loses most of it.
 */
function wcsc(root) {
  // npm unpacks the binary without its execute bit; the package's own wrapper sets it the same way.
  fs.chmodSync(WCSC, 0o755)
  const files = sources(root, '.wxss')
  const components = files.filter((file) => fs.existsSync(path.join(root, `${file}.json`)))
  const others = files.filter((file) => !components.includes(file))
  const args = ['-db', '-pc', String(components.length), ...[...components, ...others].map((file) => `${file}.wxss`)]
  const run = spawnSync(WCSC, args, { cwd: root, maxBuffer: MAX_OUTPUT })
  if (run.status !== 0) throw new Error(`wcsc: ${run.stderr || run.error}`)
  return run.stdout.toString()
}

/** Compiles the WXML and WXSS of `root`; throws the compilers' own message on the first error. */
function compile(root) {
  return { wxml: wcc(root, sources(root, '.wxml'), [], { maxBuffer: MAX_OUTPUT }), wxss: wcsc(root) }
}

const copies = []
afterAll(() => copies.forEach((root) => fs.rmSync(root, { recursive: true, force: true })))

/** A copy of src/ with `file` replaced by `content`. */
function brokenCopy(file, content) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'movierec-wx-'))
  copies.push(root)
  fs.cpSync(SRC, root, { recursive: true })
  fs.writeFileSync(path.join(root, file), content)
  return root
}

test('every page and component compiles with wcc and wcsc', () => {
  const { wxml, wxss } = compile(SRC)
  for (const file of [...APP.pages, 'components/movie-card/index']) {
    expect(wxml).toContain(`${file}.wxml`)
    expect(wxss).toContain(`${file}.wxss`)
  }
})

test('every page and component has its four files, and every component it uses exists', () => {
  const components = sources(SRC, '.json').filter((file) => file.startsWith('components/'))
  for (const entry of [...APP.pages, ...components]) {
    for (const extension of ['.js', '.json', '.wxml', '.wxss']) {
      expect(fs.existsSync(path.join(SRC, entry + extension))).toBe(true)
    }
    const { usingComponents = {} } = JSON.parse(fs.readFileSync(path.join(SRC, `${entry}.json`), 'utf8'))
    for (const target of Object.values(usingComponents)) {
      const resolved = target.startsWith('/') ? path.join(SRC, target) : path.resolve(SRC, path.dirname(entry), target)
      expect(fs.existsSync(`${resolved}.json`)).toBe(true)
    }
  }
})

test('a WXML error fails the build, naming the file and the line', () => {
  const root = brokenCopy('pages/home/index.wxml', '<view class="hero">\n  <text>今天想看点什么？</view>\n')
  expect(() => compile(root)).toThrow(/pages\/home\/index\.wxml:2:.*end-tag/)
})

test('a WXSS error fails the build, naming the file and the line', () => {
  const root = brokenCopy('pages/home/index.wxss', '.hero {\n  color: red;\n')
  expect(() => compile(root)).toThrow(/pages\/home\/index\.wxss\(3:/)
})
