// The sign-in screen, and the refusal shown to a signed-in account without the operator claim.
import { signInWithEmailAndPassword, signOut, type Auth, type User } from "firebase/auth";
import { $, esc } from "../dom";

/** Firebase Auth's error codes in words an operator can act on. */
export function signInMessage(code: string | undefined): string {
  switch (code) {
    case "auth/invalid-credential":
    case "auth/invalid-login-credentials":
    case "auth/wrong-password":
    case "auth/user-not-found":
      return "Wrong email or password.";
    case "auth/invalid-email":
      return "That is not a valid email address.";
    case "auth/user-disabled":
      return "This account has been disabled. Ask an admin.";
    case "auth/too-many-requests":
      return "Too many failed attempts. Wait a few minutes, then try again.";
    case "auth/network-request-failed":
      return "Cannot reach the sign-in service. Check the connection and try again.";
    case "auth/operation-not-allowed":
      return "Email/password sign-in is not enabled for this project (Firebase console > Authentication > Sign-in method).";
    default:
      return `Sign-in failed${code ? ` (${code})` : ""}. Try again, or ask an admin.`;
  }
}

export function renderSignIn(root: HTMLElement, auth: Auth, message = ""): void {
  root.innerHTML = `
    <form id="sign-in" class="card sign-in">
      <h2>Operator sign-in</h2>
      <label>Email <input name="email" type="email" autocomplete="username" required></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
      <button type="submit">Sign in</button>
      <p id="sign-in-error" class="error" role="alert">${esc(message)}</p>
    </form>`;
  const form = $("#sign-in", root) as HTMLFormElement;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      await signInWithEmailAndPassword(
        auth,
        String(data.get("email")),
        String(data.get("password")),
      );
    } catch (err) {
      $("#sign-in-error", root).textContent = signInMessage((err as { code?: string }).code);
    }
  });
}

export function renderRefused(root: HTMLElement, auth: Auth, user: User): void {
  root.innerHTML = `
    <section id="refused" class="card refused">
      <h2>Not an operator</h2>
      <p>${esc(user.email ?? user.uid)} is signed in but holds no operator claim, so the console
      shows nothing. An admin grants it with <code>npm run admin -- grant-operator --email … --create</code>
      (or <code>--existing</code> for an account whose email is verified).</p>
      <button id="sign-out" type="button">Sign out</button>
    </section>`;
  $("#sign-out", root).addEventListener("click", () => void signOut(auth));
}
