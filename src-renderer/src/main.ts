import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { z } from 'zod'
import App from './App.vue'
import { createAppRouter } from './router'
import './styles/base.css'

// zod would probe `new Function` to compile its parsers; the page's CSP forbids eval, and the
// probe alone is reported as a violation.
z.config({ jitless: true })

createApp(App).use(createPinia()).use(createAppRouter()).mount('#app')
