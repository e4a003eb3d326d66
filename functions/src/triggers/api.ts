import { onRequest } from "firebase-functions/v2/https";
import { createApp } from "../http/app";

export const api = onRequest({ invoker: "public" }, createApp());
