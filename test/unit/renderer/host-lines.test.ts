import { describe, expect, it } from 'vitest'
import { readHostLines } from '@/host-lines'
import { readRequirementsInput } from '@/requirements-input'

describe('readHostLines', () => {
  it('reads host, user@host, host:port and user@host:port, skipping comments', () => {
    expect(readHostLines('10.0.0.1\n# lab\nops@w2\nw3:2222  # slow one\nroot@w4:22\n\n')).toEqual({
      hosts: [
        { user: null, host: '10.0.0.1', port: null },
        { user: 'ops', host: 'w2', port: null },
        { user: null, host: 'w3', port: 2222 },
        { user: 'root', host: 'w4', port: 22 },
      ],
      problems: [],
    })
    expect(readHostLines('a b\n@x').problems).toEqual(['a b', '@x'])
  })
})

describe('readRequirementsInput', () => {
  it('keeps requirements, drops comments, names the lines that are not requirements', () => {
    expect(
      readRequirementsInput('# mine\nrequests\nnumpy==1.26.4  # pinned\n--index-url x\n'),
    ).toEqual({
      requirements: ['requests', 'numpy==1.26.4'],
      problems: [{ line: 4, text: '--index-url x' }],
    })
  })
})
