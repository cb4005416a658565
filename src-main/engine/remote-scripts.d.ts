// Remote programs live in real .sh/.py files (read by shellcheck and ruff) and are bundled as text.
declare module '*.sh?raw' {
  const text: string
  export default text
}
declare module '*.py?raw' {
  const text: string
  export default text
}
