int f(void) { int x = 1 }
int g(void) { return f() }
