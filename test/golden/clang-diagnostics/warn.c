int f(int a) { int unused; if (a = 3) return 1; return 0; }
