import { describe, expect, it } from 'vitest'
import { classifyFile, parseProjectPage } from '../../../src-main/engine/verify/index-page'

const PAGE_URL = 'http://10.0.0.5:8080/pypi/simple/pydantic-core/'
const HASH = 'a'.repeat(64)

/** As bandersnatch writes web/simple/<project>/index.html. */
const PAGE = `<!DOCTYPE html>
<html>
  <head>
    <title>Links for pydantic-core</title>
  </head>
  <body>
    <h1>Links for pydantic-core</h1>
    <a href="../../packages/8f/1e/abc/pydantic_core-2.14.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl#sha256=${HASH}" data-requires-python="&gt;=3.8">pydantic_core-2.14.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl</a><br/>
    <a href="../../packages/aa/bb/cd/pydantic_core-2.14.6.tar.gz#sha256=${'b'.repeat(64)}" data-yanked="">pydantic_core-2.14.6.tar.gz</a><br/>
    <a href='https://elsewhere.example/x/Pydantic.Core-2.0-py3-none-any.whl'>Pydantic.Core-2.0-py3-none-any.whl</a>
  </body>
</html>
<!--SERIAL 123-->`

describe('parseProjectPage', () => {
  const files = parseProjectPage(PAGE, PAGE_URL)

  it('reads each link: file name, absolute URL, requires-python, hash, yanked', () => {
    expect(files).toHaveLength(3)
    expect(files[0]).toEqual({
      filename: 'pydantic_core-2.14.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
      url: 'http://10.0.0.5:8080/pypi/packages/8f/1e/abc/pydantic_core-2.14.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
      requiresPython: '>=3.8',
      sha256: HASH,
      yanked: false,
    })
    expect(files[1]).toMatchObject({ requiresPython: null, yanked: true })
    expect(files[2]).toMatchObject({
      url: 'https://elsewhere.example/x/Pydantic.Core-2.0-py3-none-any.whl',
      sha256: null,
    })
  })

  it('classifies wheels and sdists of the project, with their versions', () => {
    expect(classifyFile(files[0]!, 'pydantic-core')).toMatchObject({
      kind: 'wheel',
      version: '2.14.6',
    })
    expect(classifyFile(files[1]!, 'pydantic-core')).toMatchObject({
      kind: 'sdist',
      version: '2.14.6',
    })
    expect(classifyFile(files[2]!, 'pydantic-core')).toMatchObject({
      kind: 'wheel',
      version: '2.0',
    })
    expect(classifyFile(files[0]!, 'pydantic')).toBeNull()
  })

  it('finds where the name ends in an sdist whose name has dashes', () => {
    const file = {
      filename: 'python-dateutil-2.8.2.tar.gz',
      url: 'x',
      requiresPython: null,
      sha256: null,
      yanked: false,
    }
    expect(classifyFile(file, 'python-dateutil')).toMatchObject({ kind: 'sdist', version: '2.8.2' })
    expect(
      classifyFile({ ...file, filename: 'python-dateutil-2.8.2.exe' }, 'python-dateutil'),
    ).toBeNull()
  })
})
